"""The user-facing surface above the ops: the table of public names (``cr.X`` and the
Tensor methods made from it), Tensor's operators, in-place changes, and ``as_tensor``."""
