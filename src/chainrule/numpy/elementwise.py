"""Elementwise functions under NumPy's (ufunc) names: ``np.exp``, ``np.subtract``, ``np.absolute`` …

Each is chainrule's public function of the same op (Python data becomes tensors,
Python numbers stay weak, the result is a Tensor).
"""

from ..api.names import public_functions

_PUBLIC = public_functions()

exp, log, log1p, sqrt = _PUBLIC["exp"], _PUBLIC["log"], _PUBLIC["log1p"], _PUBLIC["sqrt"]
sin, cos, tan, tanh = _PUBLIC["sin"], _PUBLIC["cos"], _PUBLIC["tan"], _PUBLIC["tanh"]
absolute = abs = _PUBLIC["abs"]  # noqa: A001
sign = _PUBLIC["sign"]
add, subtract, multiply = _PUBLIC["add"], _PUBLIC["sub"], _PUBLIC["mul"]
divide = true_divide = _PUBLIC["div"]
negative, power = _PUBLIC["neg"], _PUBLIC["power"]
maximum, minimum, matmul = _PUBLIC["maximum"], _PUBLIC["minimum"], _PUBLIC["matmul"]
equal, not_equal, less, less_equal = _PUBLIC["equal"], _PUBLIC["not_equal"], _PUBLIC["less"], _PUBLIC["less_equal"]
greater, greater_equal = _PUBLIC["greater"], _PUBLIC["greater_equal"]
logical_and, logical_or, logical_not = _PUBLIC["logical_and"], _PUBLIC["logical_or"], _PUBLIC["logical_not"]
isfinite = _PUBLIC["isfinite"]
