"""ModuleList, ModuleDict and ParameterList: registration, PyTorch's state_dict keys, list and dict behaviour."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn


class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        self.heads = nn.ModuleDict({"a": nn.Linear(2, 1), "b": nn.Identity()})
        self.scales = nn.ParameterList([cr.ones(2), np.zeros(1)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.heads["a"](x * self.scales[0])


def test_containers_register_their_items_under_pytorchs_keys():
    model = Stack()
    assert list(model.state_dict()) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
                                        "layers.2.weight", "layers.2.bias", "heads.a.weight", "heads.a.bias",
                                        "scales.0", "scales.1"]
    assert len(list(model.parameters())) == 10
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in model.scales)
    model(cr.ones(4, 2)).sum().backward()
    assert model.scales[0].grad is not None and model.layers[0].weight.grad is not None


def test_module_list_behaves_as_a_list_and_renumbers_after_changes():
    layers = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    layers.append(nn.Sigmoid()).extend([nn.GELU()])
    layers.insert(1, nn.SiLU())
    assert [type(m).__name__ for m in layers] == ["ReLU", "SiLU", "Tanh", "Sigmoid", "GELU"]
    del layers[0]
    layers[-1] = nn.ELU()
    assert [name for name, _ in layers.named_children()] == ["0", "1", "2", "3"]
    assert [type(m).__name__ for m in layers] == ["SiLU", "Tanh", "Sigmoid", "ELU"]
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    with pytest.raises(IndexError, match="out of range"):
        layers[4]


def test_module_dict_behaves_as_a_dict():
    heads = nn.ModuleDict([("x", nn.ReLU())])
    heads["y"] = nn.Linear(1, 1)
    heads.update({"z": nn.Tanh()})
    assert list(heads) == ["x", "y", "z"] and "y" in heads and len(heads) == 3
    assert isinstance(heads.pop("x"), nn.ReLU) and list(heads.keys()) == ["y", "z"]
    with pytest.raises(KeyError, match="the keys are"):
        heads["x"]


def test_parameter_list_assignment_keeps_the_order():
    params = nn.ParameterList([cr.zeros(1), cr.zeros(2)])
    params[0] = np.ones(3)
    assert [p.shape for p in params] == [(3,), (2,)] and list(params.state_dict()) == ["0", "1"]


def test_containers_load_pytorchs_state_dicts(torch):
    theirs = torch.nn.ModuleList([torch.nn.Linear(3, 2), torch.nn.Conv1d(1, 2, 3)])
    ours = nn.ModuleList([nn.Linear(3, 2), nn.Conv1d(1, 2, 3)])
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
