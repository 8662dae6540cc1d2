"""``Embedding``: a learnable table of vectors looked up by integer index."""

from ..core.state import no_grad
from ..core.tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter, empty_parameter


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``, as PyTorch's ``Embedding``.

        y[..., :] = W[input[...], :]

    W (``weight``, shape (num_embeddings, embedding_dim)) starts from N(0, 1), with the row
    ``padding_idx`` (if given) zeroed; that row then receives no gradient. See
    ``F.embedding`` for ``max_norm`` and ``scale_grad_by_freq``.

    Parameters
    ----------
    num_embeddings, embedding_dim : int
    padding_idx : int, optional
    max_norm : float, optional
    norm_type : float
    scale_grad_by_freq : bool
    sparse : bool
        Only False.
    _weight : Tensor, optional
        An initial table to use instead of a random one.
    _freeze : bool
        Whether the table is fixed (``requires_grad=False``).
    device, dtype
        PyTorch's factory arguments; dtype defaults to ``cr.get_default_dtype()``.

    Examples
    --------
    >>> table = cr.nn.Embedding(10, 3)
    >>> table(np.array([[1, 2], [4, 9]])).shape
    (2, 2, 3)
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        if sparse:
            raise NotImplementedError("Embedding: sparse gradients are not supported; use sparse=False "
                                      "(the dense gradient holds the same values)")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx {padding_idx} must be within num_embeddings "
                                 f"({num_embeddings})")
            padding_idx %= num_embeddings
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = empty_parameter((num_embeddings, embedding_dim), dtype, device)
            self.weight.requires_grad = not _freeze
            self.reset_parameters()
        else:
            data = _weight.detach() if isinstance(_weight, Tensor) else Tensor(_weight)
            if data.shape != (num_embeddings, embedding_dim):
                raise ValueError(f"Embedding: _weight must have shape ({num_embeddings}, {embedding_dim}), "
                                 f"got {data.shape}")
            self.weight = Parameter(data.numpy(), requires_grad=not _freeze)

    def reset_parameters(self):
        """W from N(0, 1), the padding row set to zeros."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0.0

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        """An ``Embedding`` holding the given 2-D table (fixed unless ``freeze=False``)."""
        table = embeddings.detach().numpy() if isinstance(embeddings, Tensor) else embeddings
        if len(getattr(table, "shape", ())) != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape "
                             f"{getattr(table, 'shape', None)}")
        rows, dim = table.shape
        return cls(rows, dim, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse, _weight=table, _freeze=freeze)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        return text
