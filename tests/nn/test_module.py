"""cr.nn.Module and cr.nn.Parameter: registration, traversal, modes, state dicts, repr."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.scale = nn.Parameter(np.ones(2, np.float32))
        self.note = "not registered"
        self.register_buffer("seen", cr.tensor(np.zeros(2, np.float32)))
        self.register_buffer("scratch", cr.tensor(np.zeros(1, np.float32)), persistent=False)

    def forward(self, x):
        return self.conv(x) * self.scale.reshape(1, 2, 1, 1)


def make_model():
    return nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.BatchNorm1d(3), nn.Linear(3, 2))


# ------------------------------------------------------------------------- parameters
def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter(np.zeros((2, 3)))
    assert isinstance(p, cr.Tensor) and p.requires_grad and p.is_leaf and p.dtype == np.float64
    assert repr(p).startswith("Parameter containing:\ntensor(")
    assert not nn.Parameter(cr.ones(2), requires_grad=False).requires_grad


def test_attribute_assignment_registers_parameters_modules_and_buffers():
    block = Block()
    assert [n for n, _ in block.named_parameters()] == ["scale", "conv.weight", "conv.bias"]
    assert [n for n, _ in block.named_buffers()] == ["seen", "scratch"]
    assert [n for n, _ in block.named_children()] == ["conv"]
    assert [type(m).__name__ for m in block.modules()] == ["Block", "Conv2d"]
    assert "note" not in dict(block.named_parameters()) and block.note == "not registered"
    assert list(block.state_dict()) == ["scale", "seen", "conv.weight", "conv.bias"]


def test_shared_parameters_are_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias"]


def test_assigning_a_plain_tensor_to_a_parameter_slot_is_refused():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="'weight'"):
        layer.weight = cr.ones(2, 2)
    layer.weight = nn.Parameter(cr.ones(2, 2))
    assert layer.weight.numpy().sum() == 4


def test_parameters_need_module_init_first():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(cr.ones(1))

    with pytest.raises(AttributeError, match="super\\(\\).__init__"):
        Broken()


def test_deleting_an_attribute_unregisters_it():
    block = Block()
    del block.scale
    assert "scale" not in dict(block.named_parameters())
    with pytest.raises(AttributeError, match="scale"):
        block.scale


# ------------------------------------------------------------------------------ modes
def test_train_and_eval_reach_every_descendant():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(2)))
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_zero_grad_sets_gradients_to_none_or_zeros():
    model = make_model()
    model(np.ones((3, 4), np.float32)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.numpy() == 0) for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_requires_grad_switches_every_parameter():
    model = make_model()
    assert model.requires_grad_(False) is model
    assert not any(p.requires_grad for p in model.parameters())
    assert len(list(model.buffers())) == 3
    model.requires_grad_()
    assert all(p.requires_grad for p in model.parameters())


def test_parameters_can_be_updated_in_place_under_no_grad():
    layer = nn.Linear(3, 1)
    x = np.ones((2, 3), np.float32)
    before = layer.weight.numpy().copy()
    layer(x).sum().backward()
    with cr.no_grad():
        for p in layer.parameters():
            p.sub_(0.5 * p.grad)
    np.testing.assert_allclose(layer.weight.numpy(), before - 0.5 * 2.0, rtol=1e-6)


def test_to_double_casts_in_place_keeping_parameter_identity():
    model = make_model()
    params = list(model.parameters())
    model.double()
    assert [id(p) for p in model.parameters()] == [id(p) for p in params]
    assert all(p.dtype == np.float64 for p in params)
    assert model[2].running_var.dtype == np.float64 and model[2].num_batches_tracked.dtype == np.int64


# ------------------------------------------------------------------------- state dict
def test_state_dict_uses_pytorch_keys_and_shares_memory():
    model = make_model()
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var",
                           "2.num_batches_tracked", "3.weight", "3.bias"]
    assert not state["0.weight"].requires_grad
    state["0.weight"].numpy()[0, 0] = 42.0
    assert model[0].weight.numpy()[0, 0] == 42.0


def test_state_dict_round_trip_reproduces_outputs():
    source, target = make_model(), make_model()
    source(np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32))
    source.eval()
    target.eval()
    x = np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32)
    assert not np.allclose(source(x).numpy(), target(x).numpy())
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_array_equal(source(x).numpy(), target(x).numpy())
    assert target[2].num_batches_tracked.item() == 1


def test_load_state_dict_accepts_arrays_and_casts_to_each_dtype():
    layer = nn.Linear(2, 2)
    layer.load_state_dict({"weight": np.eye(2), "bias": [1, 2]})
    assert layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
    np.testing.assert_array_equal(layer.weight.numpy(), np.eye(2))
    np.testing.assert_array_equal(layer.bias.numpy(), [1.0, 2.0])


def test_load_state_dict_refuses_unexpected_and_missing_keys_by_name():
    model = make_model()
    state = model.state_dict()
    state["4.weight"] = np.zeros(1)
    del state["3.bias"]
    with pytest.raises(nn.StateDictError, match='Unexpected key.*"4.weight"') as error:
        model.load_state_dict(state)
    assert '"3.bias"' in str(error.value) and isinstance(error.value, RuntimeError)


def test_load_state_dict_refuses_wrong_shapes_and_changes_nothing():
    model = make_model()
    before = model[3].bias.numpy().copy()
    state = {k: np.ones(v.shape) for k, v in model.state_dict().items()}
    state["0.weight"] = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"0\.weight.*\(4, 3\).*\(3, 4\)"):
        model.load_state_dict(state)
    np.testing.assert_array_equal(model[3].bias.numpy(), before)


def test_non_strict_loading_reports_the_key_differences():
    layer = nn.Linear(2, 2)
    result = layer.load_state_dict({"weight": np.zeros((2, 2)), "extra": np.zeros(1)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(layer.weight.numpy(), np.zeros((2, 2)))


def test_non_persistent_buffers_stay_out_of_the_state_dict():
    assert "scratch" not in Block().state_dict()


# ------------------------------------------------------------------------------- repr
def test_repr_nests_like_pytorch():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.ReLU(),
                          nn.Sequential(nn.MaxPool2d(2), nn.Flatten()), nn.Linear(16, 10))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
        "    (1): Flatten(start_dim=1, end_dim=-1)\n"
        "  )\n"
        "  (3): Linear(in_features=16, out_features=10, bias=True)\n"
        ")")
    assert repr(nn.BatchNorm2d(3)) == "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"


def test_a_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


def test_apply_visits_children_before_their_parent_and_returns_the_module():
    model = cr.nn.Sequential(cr.nn.Linear(2, 3), cr.nn.Sequential(cr.nn.ReLU(), cr.nn.Linear(3, 1)))
    visited = []
    assert model.apply(lambda m: visited.append(type(m).__name__)) is model
    assert visited == ["Linear", "ReLU", "Linear", "Sequential", "Sequential"]
    model.apply(lambda m: cr.nn.init.zeros_(m.weight) if isinstance(m, cr.nn.Linear) else None)
    assert not any(p.numpy().any() for name, p in model.named_parameters() if name.endswith("weight"))
