"""hlsgraph's notebook surface: the ``%%sparql`` and ``%inquire`` magics (:mod:`.magics`), the
inquiry explorer, story browser and place comparer widgets (:mod:`.widgets`), the pictures
(:mod:`.plots`) and progress bars for slow loads (:mod:`.progress`).

Nothing here is imported by ``import hlsgraph``; each module loads when first used.
"""

__all__ = ["magics", "widgets", "plots", "progress"]
