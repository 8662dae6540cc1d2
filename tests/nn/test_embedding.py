"""Embedding: initialization, the padding row, from_pretrained and PyTorch's layout."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

RNG = np.random.default_rng(10)


def test_embedding_draws_a_standard_normal_table_with_a_zero_padding_row():
    cr.random.seed(0)
    layer = nn.Embedding(200, 50, padding_idx=-1)
    w = layer.weight.numpy()
    assert layer.padding_idx == 199 and list(layer.state_dict()) == ["weight"] and w.shape == (200, 50)
    assert not w[199].any() and abs(w[:199].mean()) < 0.03 and abs(w[:199].std() - 1) < 0.03


def test_embedding_lookups_train_every_row_but_the_padding_row():
    layer = nn.Embedding(4, 2, padding_idx=0)
    layer(np.array([[0, 1], [3, 0]])).sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.numpy(), [[0, 0], [1, 1], [0, 0], [1, 1]])


def test_from_pretrained_holds_the_table_frozen_unless_told():
    table = RNG.normal(size=(3, 2))
    frozen = nn.Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad
    np.testing.assert_array_equal(frozen(np.array([2])).numpy(), table[[2]])
    assert nn.Embedding.from_pretrained(cr.tensor(table), freeze=False).weight.requires_grad


def test_embedding_refuses_a_padding_index_out_of_range():
    with pytest.raises(ValueError, match="padding_idx 5"):
        nn.Embedding(5, 2, padding_idx=5)


def test_embedding_with_pytorchs_weights_gives_pytorchs_outputs(torch):
    theirs = torch.nn.Embedding(6, 3, padding_idx=2)
    ours = nn.Embedding(6, 3, padding_idx=2)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    index = np.array([[1, 2], [5, 1]])
    np.testing.assert_array_equal(ours(index).numpy(), theirs(torch.tensor(index)).detach().numpy())
