"""Nested containers (tuple, list, dict, None) of values, flattened to leaves and back."""


def flatten(tree):
    """``(leaves, rebuild)`` with ``rebuild(new_leaves)`` restoring the structure."""
    leaves = []

    def spec_of(node):
        if isinstance(node, (tuple, list)):
            return (type(node), [spec_of(child) for child in node])
        if isinstance(node, dict):
            keys = list(node)
            return (dict, keys, [spec_of(node[k]) for k in keys])
        if node is None:
            return (None,)
        leaves.append(node)
        return ("leaf",)

    spec = spec_of(tree)

    def rebuild(new_leaves):
        it = iter(new_leaves)

        def build(s):
            kind = s[0]
            if kind == "leaf":
                return next(it)
            if kind is None:
                return None
            if kind is dict:
                return {k: build(child) for k, child in zip(s[1], s[2])}
            children = [build(child) for child in s[1]]
            return tuple(children) if kind is tuple else children

        return build(spec)

    return leaves, rebuild


def structure(tree):
    """A hashable description of the containers of ``tree`` (types, lengths, dict keys)."""
    if isinstance(tree, (tuple, list)):
        return (type(tree).__name__,) + tuple(structure(child) for child in tree)
    if isinstance(tree, dict):
        return ("dict",) + tuple((key, structure(tree[key])) for key in tree)
    return None if tree is None else "leaf"
