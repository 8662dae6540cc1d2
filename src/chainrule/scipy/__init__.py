"""``chainrule.scipy``: SciPy's names, differentiable (``import chainrule.scipy.special``).

Importing it does not import SciPy; SciPy's implementations are loaded when a function
that needs one is first evaluated.
"""
