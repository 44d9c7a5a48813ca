"""Name lookup in the package's registries (corpora, pipelines), one error style."""


def lookup(table, name, kind):
    """``table[name]``; an unknown name raises ``ValueError`` naming the choices.

    The message ends with ``Received: <kind>='<name>'``, the package's error
    style. No import beyond the standard library: the registries are read at
    the command line's start-up.
    """
    if name not in table:
        raise ValueError(
            f"Unknown {kind}. Choose one of {sorted(table)}. Received: "
            f"{kind}={name!r}"
        )
    return table[name]
