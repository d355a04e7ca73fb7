"""The Frameworks page's plain PyTorch code gives the rates the libraries give:
transformers' schedulers, a real lightning.Trainer run and timm's schedulers, step
for step. If a library changes what a name means, the page is wrong and this fails.
And what the mixed-precision and several-processes pages say Accelerate's wrappers
do, run with Accelerate's own AcceleratedOptimizer and AcceleratedScheduler."""

import copy
import dataclasses
import importlib.metadata
import importlib.util
import inspect
import json
import math
import os
import re
import sys
import warnings
from types import SimpleNamespace

import pytest
import torch

import snippet_runner
from support import ROOT

os.environ["HF_HUB_OFFLINE"] = "1"  # no network, whatever transformers would fetch

# One worker imports the three libraries once (Lightning's import alone takes seconds).
pytestmark = pytest.mark.xdist_group("frameworks")


def values(name: str) -> dict:
    path = ROOT / "snippets" / "training" / "frameworks" / f"{name}.py"
    return snippet_runner.run_snippet(path, ROOT).values


def assert_same_rates(ours: list[float], theirs: list[float], what: str = "") -> None:
    assert len(ours) == len(theirs), what
    for step, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-18), f"{what}: step {step}"


def timm_scheduler():
    """timm.scheduler without timm's package __init__. `import timm` imports
    timm.models, which needs torchvision, and PyPI's torchvision (a CUDA build)
    cannot load beside our CPU torch, so it is not installed. The schedulers need
    torch only: a module for the package `timm` with its __path__ set and its
    __init__ not run lets Python import the subpackage by itself."""
    if "timm" not in sys.modules:
        spec = importlib.util.find_spec("timm")
        sys.modules["timm"] = importlib.util.module_from_spec(spec)
    import timm.scheduler

    return timm.scheduler


def test_the_page_names_the_versions_this_checks():
    page = (ROOT / "docs" / "training" / "frameworks.md").read_text()
    named = re.search(
        r"transformers (\d+\.\d+), Lightning (\d+\.\d+) and timm (\d+\.\d+)", page
    )
    assert named, "the page should say which versions its code was checked against"
    installed = [
        importlib.metadata.version(package)
        for package in ("transformers", "lightning", "timm")
    ]
    for version, package in zip(named.groups(), installed, strict=True):
        assert package.startswith(version + "."), (version, package)


# Hugging Face ------------------------------------------------------------------


def hf_kwargs(kind: str, run: dict) -> dict | None:
    """The scheduler_specific_kwargs of `kind`, from the snippet's own settings."""
    return {
        "cosine_with_restarts": {"num_cycles": run["restarts"]},
        "polynomial": {"lr_end": run["lr_end"], "power": run["power"]},
        "cosine_with_min_lr": {"min_lr_rate": run["min_rate"]},
        "cosine_warmup_with_min_lr": {"min_lr_rate": run["min_rate"]},
        "warmup_stable_decay": {"num_decay_steps": run["decay_steps"]},
    }.get(kind)


NO_TORCH_FORMULA = {"reduce_lr_on_plateau", "greedy"}  # the page says why


def test_every_hugging_face_schedule_type_is_on_the_page():
    from transformers import SchedulerType

    covered = set(values("hugging_face")["schedule_types"]) | NO_TORCH_FORMULA
    assert {kind.value for kind in SchedulerType} == covered


def hugging_face_rates(kind: str, run: dict, steps: int | None = None) -> list[float]:
    """The rate of every optimizer step of `get_scheduler(kind, ...)`, stepped as
    the Trainer steps it, with the snippet's settings; `steps` past the end too."""
    from transformers import get_scheduler

    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=run["lr"])
    scheduler = get_scheduler(
        kind,
        optimizer,
        num_warmup_steps=run["warmup"],
        num_training_steps=run["num_training_steps"],
        scheduler_specific_kwargs=hf_kwargs(kind, run),
    )
    theirs = []
    for _ in range(steps or run["num_training_steps"]):
        theirs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return theirs


# The snippets run in the tests, not at collection (which every worker does): one
# test per library goes through all the page's schedules.
def test_every_hugging_face_schedule_is_the_lambda_lr_on_the_page():
    """And past num_training_steps, as far again (the page's second table)."""
    run = values("hugging_face")
    n = run["num_training_steps"]
    for kind, ours, beyond in zip(
        run["schedule_types"], run["rates"], run["beyond"], strict=True
    ):
        theirs = hugging_face_rates(kind, run, 2 * n)
        assert_same_rates(ours, theirs[:n], kind)
        assert_same_rates(beyond, theirs[n:], f"{kind} past the end")


def test_the_trainer_counts_steps_and_warmup_as_the_page_does():
    """The Trainer's own arithmetic, called on stand-ins (a real Trainer run is
    slower than this whole file)."""
    from transformers import Trainer, TrainingArguments

    run = values("hugging_face")
    args = SimpleNamespace(
        max_steps=-1,
        gradient_accumulation_steps=run["accumulation"],
        num_train_epochs=run["epochs"],
        warmup_steps=run["warmup_ratio"],
    )
    trainer = SimpleNamespace(
        get_total_train_batch_size=lambda args: 1,
        get_sp_size=lambda: 1,
        num_examples=lambda loader: len(loader),
    )
    loader = list(range(run["batches_per_epoch"]))
    counted = Trainer.set_initial_training_values(trainer, args, loader)
    assert counted[1] == run["steps_per_epoch"]  # num_update_steps_per_epoch
    assert counted[-1] == run["num_training_steps"]  # max_steps
    steps = run["num_training_steps"]
    assert TrainingArguments.get_warmup_steps(args, steps) == run["warmup"]
    one = SimpleNamespace(warmup_steps=1.0)  # 1 or more is a number of steps
    assert TrainingArguments.get_warmup_steps(one, steps) == 1
    # transformers 5 has no warmup_ratio: a float warmup_steps is the ratio
    fields = {field.name for field in dataclasses.fields(TrainingArguments)}
    assert "warmup_steps" in fields and "warmup_ratio" not in fields


def test_the_two_hugging_face_types_without_a_formula_are_what_the_page_says():
    from transformers import get_scheduler

    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=1e-3)
    plateau = get_scheduler("reduce_lr_on_plateau", optimizer, num_warmup_steps=5)
    assert type(plateau) is torch.optim.lr_scheduler.ReduceLROnPlateau
    assert optimizer.param_groups[0]["lr"] == 1e-3  # no warmup: at the peak
    greedy = get_scheduler("greedy", optimizer)
    assert not isinstance(greedy, torch.optim.lr_scheduler.LRScheduler)
    for metric in range(30, 0, -1):  # a metric that keeps improving ...
        greedy.step(float(metric))
    assert optimizer.param_groups[0]["lr"] > 1e-3  # ... raises the rate


def custom_scheduler_run() -> dict:
    """The custom-scheduler page's snippet, run: its class and its rates."""
    import runpy

    import matplotlib

    matplotlib.use("Agg")
    path = ROOT / "snippets" / "training" / "custom-scheduler" / "inverse_sqrt.py"
    with warnings.catch_warnings():  # plt.show() on Agg says it shows nothing
        warnings.filterwarnings("ignore", message=".*non-interactive.*")
        return runpy.run_path(str(path))


def test_the_pages_inverse_sqrt_scheduler_is_hugging_faces_at_every_step():
    """Alone, InverseSqrtLR(timescale) is get_inverse_sqrt_schedule with no warmup;
    after the page's LinearLR warmup in SequentialLR, it is the same schedule with
    num_warmup_steps=WARMUP, whose own warmup starts at 0 where LinearLR's does not."""
    from transformers import get_inverse_sqrt_schedule

    run = custom_scheduler_run()
    lr, warmup = run["LR"], run["WARMUP"]
    for timescale in (1, 7, warmup):
        optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=lr)
        ours = run["InverseSqrtLR"](optimizer, timescale=timescale)
        twin = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=lr)
        theirs = get_inverse_sqrt_schedule(twin, 0, timescale=timescale)
        for step in range(500):
            a, b = optimizer.param_groups[0]["lr"], twin.param_groups[0]["lr"]
            assert math.isclose(a, b, rel_tol=1e-12), (timescale, step)
            for stepped in (optimizer, twin, ours, theirs):
                stepped.step()
    rates, hugging_face = run["rates"], []
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    theirs = get_inverse_sqrt_schedule(optimizer, num_warmup_steps=warmup)
    for _ in rates:  # stepped as the Trainer steps it
        hugging_face.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        theirs.step()
    assert_same_rates(rates[warmup:], hugging_face[warmup:], "after the warmup")
    assert hugging_face[0] == 0 and rates[0] == lr * 0.01  # the warmups differ


# Lightning ---------------------------------------------------------------------

LIGHTNING_RUNS = {  # the snippet's run name: (lr_scheduler_config, Trainer, module)
    "interval=epoch": ({}, {}, {}),
    "interval=epoch, frequency=2": ({"frequency": 2}, {}, {}),
    "interval=step": ({"interval": "step"}, {}, {}),
    "interval=step, frequency=3": ({"interval": "step", "frequency": 3}, {}, {}),
    "interval=step + scheduler.step() by hand": (
        {"interval": "step"},
        {},
        {"by_hand": True},
    ),
    "accumulate 2, interval=step": (
        {"interval": "step"},
        {"accumulate_grad_batches": 2},
        {},
    ),
    "accumulate 2, interval=step, frequency=2": (
        {"interval": "step", "frequency": 2},
        {"accumulate_grad_batches": 2},
        {},
    ),
    "ReduceLROnPlateau, monitor=score": ({"monitor": "score"}, {}, {"plateau": True}),
}


def lightning_fit(
    config: dict, trainer_args: dict, by_hand=False, plateau=False, manual=False
):
    """The rate of every optimizer step of a real Trainer run on the CPU; with
    `manual`, in manual optimization (the module steps its optimizer itself)."""
    import lightning

    run = values("lightning")

    class Tiny(lightning.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(2, 1)
            self.rates = []
            self.automatic_optimization = not manual

        def training_step(self, batch, batch_idx):
            loss = self.layer(batch[0]).pow(2).mean()
            if manual:
                optimizer = self.optimizers()
                self.manual_backward(loss)
                optimizer.step()  # calls on_before_optimizer_step too
                optimizer.zero_grad()
            return loss

        def on_before_optimizer_step(self, optimizer):
            self.rates.append(optimizer.param_groups[0]["lr"])

        def on_train_batch_end(self, outputs, batch, batch_idx):
            if by_hand:
                self.lr_schedulers().step()

        def on_train_epoch_end(self):
            self.log("score", run["scores"][self.current_epoch])

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=run["lr"])
            if plateau:
                kind = torch.optim.lr_scheduler.ReduceLROnPlateau
                scheduler = kind(optimizer, patience=0)
            else:
                kind = torch.optim.lr_scheduler.ExponentialLR
                scheduler = kind(optimizer, run["gamma"])
            return {
                "optimizer": optimizer,
                "lr_scheduler": {"scheduler": scheduler, **config},
            }

    data = torch.utils.data.TensorDataset(torch.randn(2 * run["batches"], 2))
    model = Tiny()
    fit_on_cpu(model, data, max_epochs=run["epochs"], logger=False, **trainer_args)
    return model.rates


def fit_on_cpu(model, data, **trainer_args) -> None:
    """Fit `model` on `data` in batches of 2 with a quiet lightning.Trainer."""
    import lightning

    trainer = lightning.Trainer(
        accelerator="cpu",
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        **trainer_args,
    )
    with warnings.catch_warnings():  # beside the point here:
        warnings.filterwarnings("ignore", message=".*does not have many workers")
        # Lightning 2.6 still builds torch's deprecated pytree LeafSpec
        warnings.filterwarnings("ignore", message=".*LeafSpec.* is deprecated")
        trainer.fit(model, torch.utils.data.DataLoader(data, batch_size=2))


@pytest.mark.parametrize("name", list(LIGHTNING_RUNS))
def test_a_lightning_config_steps_as_the_loop_on_the_page(name):
    run = values("lightning")
    config, trainer_args, module = LIGHTNING_RUNS[name]
    ours = run["rates"][run["run_names"].index(name)]
    assert_same_rates(ours, lightning_fit(config, trainer_args, **module))


def test_every_lightning_run_on_the_page_is_checked():
    assert values("lightning")["run_names"] == list(LIGHTNING_RUNS)


def test_lightning_says_what_the_page_says_about_monitor_and_strict():
    from lightning.fabric.utilities.exceptions import MisconfigurationException

    with pytest.raises(MisconfigurationException, match="must include a monitor"):
        lightning_fit({}, {}, plateau=True)
    with pytest.raises(MisconfigurationException, match="which is not available"):
        lightning_fit({"monitor": "loss"}, {}, plateau=True)
    with pytest.warns(RuntimeWarning, match="Skipping learning rate update"):
        rates = lightning_fit({"monitor": "loss", "strict": False}, {}, plateau=True)
    assert set(rates) == {values("lightning")["lr"]}  # never stepped


def test_in_manual_optimization_lightning_never_steps_the_scheduler():
    run = values("lightning")
    rates = lightning_fit({"interval": "step"}, {}, manual=True)
    assert len(rates) == run["epochs"] * run["batches"]
    assert set(rates) == {run["lr"]}


# timm --------------------------------------------------------------------------


def timm_rates(call: str, epochs: int, updates_per_epoch: int, lr: float) -> list:
    """The rate of every update of `call` (the page's text of a timm constructor),
    stepped as timm's train.py steps it."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    kind, args = call.split("(", 1)
    scheduler = getattr(timm_scheduler(), kind)(optimizer, **eval(f"dict({args}"))
    used, num_updates = [], 0
    for epoch in range(epochs):
        for _ in range(updates_per_epoch):
            used.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            num_updates += 1
            scheduler.step_update(num_updates=num_updates)
        scheduler.step(epoch + 1)
    return used


def test_every_timm_scheduler_is_the_torch_scheduler_on_the_page():
    run = values("timm")
    for call, ours in zip(run["scheduler_calls"], run["rates"], strict=True):
        theirs = timm_rates(call, run["epochs"], run["updates_per_epoch"], run["lr"])
        assert_same_rates(ours, theirs, call)


def test_timm_cosine_without_warmup_is_torch_cosine_annealing_up_to_t_initial():
    first = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    second = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    timm = timm_scheduler().CosineLRScheduler(first, t_initial=10)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(second, T_max=10)
    theirs, ours = [], []
    for epoch in range(11):  # t = 0 to t_initial
        theirs.append(first.param_groups[0]["lr"])
        ours.append(second.param_groups[0]["lr"])
        first.step()
        second.step()
        timm.step(epoch + 1)
        cosine.step()
    assert_same_rates(ours, theirs)


def test_timm_cosine_stays_at_lr_min_after_its_last_cycle():
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    timm = timm_scheduler().CosineLRScheduler(optimizer, t_initial=10, lr_min=0.01)
    after = []
    for epoch in range(10, 25):  # t_initial and beyond
        timm.step(epoch)
        after.append(optimizer.param_groups[0]["lr"])
    assert set(after) == {0.01}


def test_timm_factory_warms_up_from_1e_5_by_default():
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler, _ = timm_scheduler().create_scheduler_v2(
        optimizer, "cosine", num_epochs=10, warmup_epochs=2
    )
    assert scheduler.warmup_lr_init == 1e-5


def test_timm_plateau_scheduler_is_deprecated_torch_reduce_on_plateau_in_max_mode():
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with pytest.warns(FutureWarning, match="deprecated"):
        scheduler = timm_scheduler().PlateauLRScheduler(optimizer)
    inner = scheduler.lr_scheduler
    assert type(inner) is torch.optim.lr_scheduler.ReduceLROnPlateau
    assert inner.mode == "max"  # a metric to maximise by default, unlike torch's


# peft: what the fine-tuning page says of LoRA beyond its run -------------------


def lora_net(**config):
    """A pretrained-like body of two Linear layers and a new head, as on the
    fine-tuning page, wrapped by peft with the page's LoraConfig."""
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(0)
    net = torch.nn.Module()
    net.body = torch.nn.Sequential(
        torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64)
    )
    net.head = torch.nn.Linear(64, 5)
    net.forward = lambda x: net.head(net.body(x))
    pretrained = copy.deepcopy(net)  # get_peft_model changes `net` in place
    config = LoraConfig(
        target_modules=["body.0", "body.2"], modules_to_save=["head"], **config
    )
    return pretrained, get_peft_model(net, config)


def test_the_page_names_peft_defaults_r_8_and_lora_alpha_8():
    from peft import LoraConfig

    config = LoraConfig()
    assert (config.r, config.lora_alpha, config.lora_dropout) == (8, 8, 0.0)
    assert config.init_lora_weights is True and config.use_rslora is False
    page = (ROOT / "docs" / "training" / "fine-tuning.md").read_text()
    version = importlib.metadata.version("peft")
    assert "<!-- checked-with: torch, peft, scikit-learn;" in page, version


def test_peft_trains_only_the_adapters_and_a_copy_of_the_head():
    _, model = lora_net()
    trainable = sorted(n for n, p in model.named_parameters() if p.requires_grad)
    assert trainable == [
        "base_model.model.body.0.lora_A.default.weight",
        "base_model.model.body.0.lora_B.default.weight",
        "base_model.model.body.2.lora_A.default.weight",
        "base_model.model.body.2.lora_B.default.weight",
        "base_model.model.head.modules_to_save.default.bias",
        "base_model.model.head.modules_to_save.default.weight",
    ]
    shapes = {n.split(".")[3:5][1]: p.shape for n, p in model.named_parameters()}
    assert shapes["lora_A"] == (8, 64) and shapes["lora_B"] == (64, 8)  # rank 8


def test_lora_starts_at_the_pretrained_model_because_b_starts_at_zero():
    pretrained, model = lora_net()
    for layer in (model.base_model.model.body[0], model.base_model.model.body[2]):
        assert not layer.lora_B["default"].weight.any()
        # A is drawn as nn.Linear draws its weights: |A| <= 1 / sqrt(fan_in)
        a = layer.lora_A["default"].weight
        assert a.abs().max() <= 1 / 64**0.5 and a.std() > 0.5 / 64**0.5 / 3**0.5
    x = torch.randn(7, 64)
    torch.testing.assert_close(model(x), pretrained(x), rtol=0, atol=0)


@pytest.mark.parametrize("rslora", [False, True])
def test_lora_adds_lora_alpha_over_r_times_b_a_x(rslora):
    """The update the page describes: W x + b + (lora_alpha / r) B A x, with
    lora_alpha / sqrt(r) under use_rslora."""
    _, model = lora_net(r=4, lora_alpha=32, use_rslora=rslora)
    layer = model.base_model.model.body[0]
    torch.nn.init.normal_(layer.lora_B["default"].weight)
    scale = 32 / 4**0.5 if rslora else 32 / 4
    assert layer.scaling["default"] == scale
    x = torch.randn(7, 64)
    a, b = layer.lora_A["default"].weight, layer.lora_B["default"].weight
    expected = layer.base_layer(x) + scale * x @ a.T @ b.T
    torch.testing.assert_close(layer(x), expected)


# Parameter groups: no weight decay on biases and norms ----------------------------


def page_groups() -> tuple[torch.nn.Module, list[str], list[str]]:
    """The param-groups page's model and its two groups, by parameter name."""
    import runpy

    path = ROOT / "snippets" / "training" / "param-groups" / "no_decay_groups.py"
    run = runpy.run_path(str(path))
    return run["model"], run["decay_names"], run["no_decay_names"]


def timm_param_groups_weight_decay():
    """timm.optim's grouping function, from its own file. The module imports
    timm.models (which needs torchvision, not installed: see timm_scheduler) for
    other functions only; a stand-in timm.models lets the file load."""
    import types

    spec = importlib.util.find_spec("timm")
    path = os.path.join(spec.submodule_search_locations[0], "optim", "_param_groups.py")
    stand_in = types.ModuleType("timm.models")
    stand_in.group_parameters = None  # imported there, not used by this function
    saved = sys.modules.get("timm.models")
    sys.modules["timm.models"] = stand_in
    try:
        module_spec = importlib.util.spec_from_file_location("_timm_groups", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules["timm.models"]
        else:
            sys.modules["timm.models"] = saved
    return module.param_groups_weight_decay


def names_of(model: torch.nn.Module, params) -> list[str]:
    by_id = {id(p): name for name, p in model.named_parameters()}
    return sorted(by_id[id(p)] for p in params)


def test_timm_groups_the_pages_model_as_the_page_does():
    """timm excludes every parameter with ndim <= 1 (and names ending in .bias),
    plus a model's no_weight_decay() names; the page's TinyNet has none."""
    model, decay, no_decay = page_groups()
    groups = timm_param_groups_weight_decay()(model, weight_decay=0.1)
    by_decay = {
        group["weight_decay"]: names_of(model, group["params"]) for group in groups
    }
    assert by_decay == {0.1: sorted(decay), 0.0: sorted(no_decay)}
    # a no_weight_decay_list entry moves a matrix out of the decay too
    groups = timm_param_groups_weight_decay()(
        model, weight_decay=0.1, no_weight_decay_list=["embed.*"]
    )
    by_decay = {
        group["weight_decay"]: names_of(model, group["params"]) for group in groups
    }
    assert "embed.weight" in by_decay[0.0]


def test_the_trainer_groups_the_pages_model_as_the_page_says():
    """The Trainer's own create_optimizer on a stand-in: it excludes LayerNorm layers
    by type and parameters by name (bias, layernorm, rmsnorm, norm), so the page's
    BatchNorm, named bn, is decayed; everything else is grouped as on the page."""
    from transformers import Trainer

    model, decay, no_decay = page_groups()
    trainer = SimpleNamespace(
        model=model,
        optimizer=None,
        args=SimpleNamespace(weight_decay=0.1),
        optimizer_cls_and_kwargs=(torch.optim.AdamW, {"lr": 1e-3}),
        get_decay_parameter_names=lambda m: Trainer.get_decay_parameter_names(None, m),
    )
    optimizer = Trainer.create_optimizer(trainer)
    theirs = {
        g["weight_decay"]: names_of(model, g["params"]) for g in optimizer.param_groups
    }
    assert theirs[0.1] == sorted([*decay, "bn.weight"])
    assert theirs[0.0] == sorted(set(no_decay) - {"bn.weight"})
    # named norm (or *_norm, layernorm, rmsnorm), a BatchNorm's weight is excluded
    renamed = torch.nn.Sequential()
    renamed.add_module("dense", torch.nn.Linear(4, 4))
    renamed.add_module("norm", torch.nn.BatchNorm1d(4))
    assert Trainer.get_decay_parameter_names(None, renamed) == ["dense.weight"]
    # and a 1-d parameter at the top level, say a learned temperature, is decayed
    model.temperature = torch.nn.Parameter(torch.ones(1))
    assert "temperature" in Trainer.get_decay_parameter_names(None, model)


# Mixed precision: who steps the scheduler after a skipped step -----------------


def test_the_trainer_defaults_to_fused_adamw_and_trusts_accelerate_for_skips():
    """The mixed-precision page: the Trainer steps its scheduler unless Accelerate's
    `optimizer_step_was_skipped`, which is whether optimizer.step() was called
    (run below: test_accelerate_counts_a_skipped_fused_step_as_taken). A fused
    optimizer's step() is called on a skipped step too (skipped_step_wrong.py)."""
    from transformers import Trainer, TrainingArguments

    fields = {field.name: field for field in dataclasses.fields(TrainingArguments)}
    default = fields["optim"].default
    assert default == "adamw_torch_fused"  # torch 2.8 or newer
    loop = inspect.getsource(Trainer._run_epoch)
    guard = loop.index("if not self.accelerator.optimizer_step_was_skipped:")
    assert loop.index("self.lr_scheduler.step()", guard) - guard < 300


def lightning_amp_fit(fused: bool, clip: float | None = None) -> dict:
    """A real Trainer run with float16 AMP on the CPU (GradScaler("cpu")), SGD
    stepped per batch, on the mixed-precision page's batches: two overflow."""
    import lightning
    from lightning.pytorch.plugins import MixedPrecision

    class Tiny(lightning.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)
            self.rates, self.moved = [], []

        def training_step(self, batch, batch_idx):
            self.before = self.layer.weight.detach().clone()
            return torch.nn.functional.mse_loss(self.layer(batch[0]), batch[1])

        def on_before_optimizer_step(self, optimizer):
            self.rates.append(optimizer.param_groups[0]["lr"])

        def on_train_batch_end(self, outputs, batch, batch_idx):
            self.moved.append(not torch.equal(self.before, self.layer.weight))

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=0.1, fused=fused)
            scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.5)
            config = {"scheduler": scheduler, "interval": "step"}
            return {"optimizer": optimizer, "lr_scheduler": config}

    torch.manual_seed(0)
    x, y = torch.randn(8, 4), torch.randn(8, 1)
    data = torch.utils.data.TensorDataset(
        torch.cat([x * 300, x / 10, x / 10, x * 300, x / 10]), y.repeat(5, 1)
    )
    model = Tiny()
    trainer = lightning.Trainer(
        accelerator="cpu",
        max_epochs=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        gradient_clip_val=clip,
        plugins=[MixedPrecision("16-mixed", "cpu")],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trainer.fit(model, torch.utils.data.DataLoader(data, batch_size=8))
    said = [str(w.message) for w in caught if "lr_scheduler.step()" in str(w.message)]
    steps = model.lr_schedulers().last_epoch
    return {
        "rates": model.rates,
        "moved": model.moved,
        "warnings": said,
        "steps": steps,
    }


@pytest.mark.parametrize("fused", [False, True])
def test_lightning_steps_the_scheduler_after_a_skipped_amp_step(fused):
    run = lightning_amp_fit(fused)
    assert run["moved"] == [False, True, True, False, True]  # batches 0 and 3 skipped
    assert run["steps"] == 5  # scheduler steps: one per batch, skipped or not
    assert run["rates"] == [0.1 * 0.5**step for step in range(5)]
    assert len(run["warnings"]) == (0 if fused else 1)  # fused: not even the first


def test_lightning_refuses_to_clip_the_gradients_of_a_fused_optimizer():
    with pytest.raises(RuntimeError, match="does not allow for gradient clipping"):
        lightning_amp_fit(fused=True, clip=1.0)


# Accelerate --------------------------------------------------------------------

ACCELERATE_PAGES = ["mixed-precision", "distributed"]


@pytest.fixture
def accelerate_state():
    """Accelerate keeps its process state in class attributes: start each test
    from none (a forked process would copy it) and leave none behind."""
    from accelerate.state import AcceleratorState

    AcceleratorState._reset_state(reset_partial_state=True)
    yield
    AcceleratorState._reset_state(reset_partial_state=True)


def test_the_accelerate_pages_name_the_version_the_tests_run():
    installed = importlib.metadata.version("accelerate")
    for name in ACCELERATE_PAGES:
        page = (ROOT / "docs" / "training" / f"{name}.md").read_text()
        named = re.findall(r"tests\s+run\s+Accelerate\s+(\d+\.\d+)", page)
        assert named, f"{name}.md should say which Accelerate its claims were run on"
        assert all(installed.startswith(version + ".") for version in named), name


def test_accelerate_fp16_on_a_cpu_neither_scales_nor_autocasts(accelerate_state):
    """Why the runs below build Accelerate's wrappers themselves."""
    from accelerate import Accelerator

    accelerator = Accelerator(mixed_precision="fp16", cpu=True)
    model = accelerator.prepare(torch.nn.Linear(4, 1))
    with accelerator.autocast():
        assert not torch.is_autocast_enabled("cpu")
        assert model(torch.randn(2, 4)).dtype == torch.float32
    assert accelerator.scaler is None


def accelerate_amp_run(**implementation) -> dict:
    """The mixed-precision page's batches (two overflow float16) through
    Accelerate's AcceleratedOptimizer with a GradScaler("cpu") and its
    AcceleratedScheduler around a StepLR, one step per batch: built as prepare()
    builds them where Accelerator(mixed_precision="fp16") has a scaler (a GPU),
    after the scheduler, as in a script."""
    from accelerate import Accelerator
    from accelerate.optimizer import AcceleratedOptimizer
    from accelerate.scheduler import AcceleratedScheduler

    accelerator = Accelerator(cpu=True)  # the process state the wrappers read
    torch.manual_seed(0)
    x, y = torch.randn(8, 4), torch.randn(8, 1)
    model = torch.nn.Linear(4, 1)
    sgd = torch.optim.SGD(model.parameters(), lr=0.1, **implementation)
    step_lr = torch.optim.lr_scheduler.StepLR(sgd, step_size=1, gamma=0.5)
    scaler = torch.amp.GradScaler("cpu")
    optimizer = AcceleratedOptimizer(sgd, scaler=scaler)
    scheduler = AcceleratedScheduler(  # the call in Accelerator.prepare_scheduler
        step_lr,
        optimizer,
        step_with_optimizer=accelerator.step_scheduler_with_optimizer,
        split_batches=accelerator.split_batches,
    )
    skipped, moved = [], []
    for xb in [x * 300, x / 10, x / 10, x * 300, x / 10]:
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.float16):
            loss = torch.nn.functional.mse_loss(model(xb), y)
        scaler.scale(loss).backward()  # accelerator.backward(loss), with a scaler
        before = model.weight.detach().clone()
        optimizer.step()
        scheduler.step()
        skipped.append(optimizer.step_was_skipped)
        moved.append(not torch.equal(before, model.weight))
    return {"skipped": skipped, "moved": moved, "steps": step_lr.last_epoch}


def test_accelerate_skips_the_scheduler_step_after_a_skipped_for_loop_step(
    accelerate_state,
):
    run = accelerate_amp_run(foreach=False)
    assert run["moved"] == [False, True, True, False, True]  # batches 0 and 3
    assert run["skipped"] == [not moved for moved in run["moved"]]
    assert run["steps"] == 3  # the schedule kept pace with the weights


def test_accelerate_counts_a_skipped_fused_step_as_taken(accelerate_state):
    """huggingface/accelerate#4242: the skip flag is whether optimizer.step() ran,
    and scaler.step() calls a fused optimizer's step() to skip inside it."""
    run = accelerate_amp_run(fused=True)
    assert run["moved"] == [False, True, True, False, True]  # the same skips
    assert run["skipped"] == [False] * 5  # none reported
    assert run["steps"] == 5  # so the scheduler moved on after both


def accelerator_options(setting: str) -> dict:
    """The Accelerator's arguments for a setting the several-processes page names."""
    from accelerate.utils import DataLoaderConfiguration

    return {
        "default": {},
        "step_scheduler_with_optimizer=False": {"step_scheduler_with_optimizer": False},
        "split_batches=True": {
            "dataloader_config": DataLoaderConfiguration(split_batches=True)
        },
    }[setting]


def plateau_on_every_process(path, setting: str) -> None:
    """Run in each process of accelerate.debug_launcher: a ReduceLROnPlateau
    (patience=2) prepared by Accelerate and stepped once per epoch with a metric
    that stalls from epoch 1 on, the same on every process; and one stepped with
    the process's own metric (still improving on process 0 only). Writes the
    epoch (from 0) of each one's first cut, and the mean accelerator.reduce gives."""
    from accelerate import Accelerator

    accelerator = Accelerator(cpu=True, **accelerator_options(setting))
    rank = accelerator.process_index
    shared = [1.0, 0.9, 0.9, 0.9, 0.9, 0.9]
    own = [
        1.0 - 0.1 * epoch if rank == 0 else value for epoch, value in enumerate(shared)
    ]
    cuts = {}
    for name, metrics in [("shared", shared), ("own", own)]:
        sgd = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(sgd, patience=2)
        sgd, plateau = accelerator.prepare(sgd, plateau)
        cuts[name] = None
        for epoch, metric in enumerate(metrics):
            plateau.step(metric)  # once per epoch, as on one process
            if cuts[name] is None and sgd.param_groups[0]["lr"] < 1.0:
                cuts[name] = epoch
    mean = accelerator.reduce(torch.tensor(float(rank)), "mean").item()
    result = {"processes": accelerator.num_processes, "mean": mean, **cuts}
    (path / f"{rank}.json").write_text(json.dumps(result))


def plateau_cuts(tmp_path, monkeypatch, setting: str) -> list[dict]:
    """What each of two CPU processes (forked, gloo) saw."""
    from accelerate import debug_launcher

    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # else Accelerate warns and sets it
    debug_launcher(plateau_on_every_process, (tmp_path, setting), num_processes=2)
    return [json.loads((tmp_path / f"{r}.json").read_text()) for r in range(2)]


def test_accelerate_halves_a_prepared_plateaus_patience_on_two_processes(
    accelerate_state, tmp_path, monkeypatch
):
    """torch's ReduceLROnPlateau(patience=2) cuts at epoch 4 on this metric; a
    prepared one, stepped num_processes times per call, at epoch 2."""
    assert stops_at([1.0, 0.9, 0.9, 0.9, 0.9, 0.9], "torch", 2) == 4
    for process in plateau_cuts(tmp_path, monkeypatch, "default"):
        assert process["processes"] == 2
        assert process["shared"] == 2


@pytest.mark.parametrize(
    "setting", ["step_scheduler_with_optimizer=False", "split_batches=True"]
)
def test_accelerate_steps_a_prepared_plateau_once_per_call_with_the_pages_settings(
    accelerate_state, tmp_path, monkeypatch, setting
):
    for process in plateau_cuts(tmp_path, monkeypatch, setting):
        assert process["processes"] == 2
        assert process["shared"] == 4  # as torch's on one process


def test_accelerate_leaves_the_metric_unreduced_so_the_ranks_rates_diverge(
    accelerate_state, tmp_path, monkeypatch
):
    setting = "step_scheduler_with_optimizer=False"  # the patience aside
    first, second = plateau_cuts(tmp_path, monkeypatch, setting)
    assert first["own"] is None and second["own"] == 4  # each its own metric
    assert first["mean"] == second["mean"] == 0.5  # accelerator.reduce averages


# Early stopping is not ReduceLROnPlateau's rule ---------------------------------


def stops_at(metrics: list[float], library: str, patience: int, delta=0.0):
    """The evaluation (0-based) at which the library stops (or torch's
    ReduceLROnPlateau cuts the rate), a loss to minimise; None if never."""
    if library == "torch":
        optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, patience=patience
        )
        for n, metric in enumerate(metrics):
            plateau.step(metric)
            if optimizer.param_groups[0]["lr"] < 1.0:
                return n
    elif library == "lightning":
        from lightning.pytorch.callbacks import EarlyStopping

        callback = EarlyStopping("loss", patience=patience, min_delta=delta)
        for n, metric in enumerate(metrics):
            if callback._evaluate_stopping_criteria(torch.tensor(metric))[0]:
                return n
    else:  # transformers: the callback, then the Trainer's own best_metric update
        from transformers import EarlyStoppingCallback, Trainer, TrainerControl

        args = SimpleNamespace(metric_for_best_model="loss", greater_is_better=False)
        args.save_strategy = "no"
        state, control = SimpleNamespace(best_metric=None), TrainerControl()
        trainer = SimpleNamespace(args=args, state=state)
        callback = EarlyStoppingCallback(patience, early_stopping_threshold=delta)
        for n, metric in enumerate(metrics):
            callback.on_evaluate(args, state, control, {"eval_loss": metric})
            if control.should_training_stop:
                return n
            Trainer._determine_best_metric(trainer, {"eval_loss": metric}, None)
    return None


def test_early_stopping_counts_patience_and_improvement_unlike_reduce_on_plateau():
    flat = [1.0] * 8
    # patience=2: torch cuts after 3 bad evaluations, the libraries stop after 2
    assert stops_at(flat, "torch", 2) == 3
    assert stops_at(flat, "lightning", 2) == stops_at(flat, "transformers", 2) == 2
    # improvements of 1e-5 at 0.5: below torch's default relative threshold (1e-4)
    tiny = [1.0, 0.5] + [0.5 - 1e-5 * n for n in range(1, 7)]
    assert stops_at(tiny, "torch", 2) == 4
    assert stops_at(tiny, "lightning", 2) is None is stops_at(tiny, "transformers", 2)
    # a steady 0.005 per evaluation with a 0.01 margin: Lightning measures it from
    # the best that cleared the margin, transformers from the last small gain
    steady = [1.0 - 0.005 * n for n in range(8)]
    assert stops_at(steady, "lightning", 3, delta=0.01) is None
    assert stops_at(steady, "transformers", 3, delta=0.01) == 3


def test_the_early_stopping_defaults_are_the_pages():
    import inspect

    from lightning.pytorch.callbacks import EarlyStopping
    from transformers import EarlyStoppingCallback

    def defaults(f) -> dict:
        return {k: p.default for k, p in inspect.signature(f).parameters.items()}

    torch_plateau = defaults(torch.optim.lr_scheduler.ReduceLROnPlateau)
    assert torch_plateau["patience"] == 10 and torch_plateau["cooldown"] == 0
    assert (torch_plateau["threshold"], torch_plateau["threshold_mode"]) == (
        1e-4,
        "rel",
    )
    lightning_stop = defaults(EarlyStopping)
    assert (lightning_stop["patience"], lightning_stop["min_delta"]) == (3, 0.0)
    hf_stop = defaults(EarlyStoppingCallback)
    assert hf_stop == {"early_stopping_patience": 1, "early_stopping_threshold": 0.0}


# Finding a good learning rate: the page applies Lightning's suggestion rule to its
# own range test and names Lightning's lr_find defaults.


def test_the_range_test_page_applies_lightnings_own_suggestion_rule():
    from lightning.pytorch.tuner.lr_finder import _LRFinder
    from lightning.pytorch.tuner.tuning import Tuner

    path = ROOT / "snippets" / "finding-lr" / "range_test.py"
    run = snippet_runner.run_snippet(path, ROOT).values
    finder = _LRFinder("exponential", run["lrs"][0], run["lrs"][-1], len(run["lrs"]))
    # The losses smoothed, as Lightning's callback records them.
    finder.results = {"lr": run["lrs"], "loss": run["smoothed"]}
    assert finder.suggestion() == run["lightning_pick"]
    defaults = {
        k: p.default for k, p in inspect.signature(Tuner.lr_find).parameters.items()
    }
    assert defaults["num_training"] == 100 and defaults["mode"] == "exponential"
    assert defaults["early_stop_threshold"] == 4.0


def test_the_finder_page_applies_lightnings_own_suggestion_rule():
    """tuning/finder.md reads Lightning's suggestion off its digits range tests."""
    from lightning.pytorch.tuner.lr_finder import _LRFinder

    path = ROOT / "snippets" / "tuning" / "finder" / "finder.py"
    run = snippet_runner.run_snippet(path, ROOT).values
    curves = zip(run["lightning_lrs"], run["lightning_losses"], strict=True)
    for (lrs, losses), pick in zip(curves, run["lightning_picks"], strict=True):
        finder = _LRFinder("exponential", lrs[0], lrs[-1], len(lrs))
        finder.results = {"lr": lrs, "loss": losses}
        assert finder.suggestion() == pick


# Watching the rate: Lightning's LearningRateMonitor logs what the page's TensorBoard
# snippets log (the rate each step trains with), and TensorBoard's sampling default.


def watching(name: str) -> dict:
    path = ROOT / "snippets" / "training" / "watching" / f"{name}.py"
    return snippet_runner.run_snippet(path, ROOT).values


@pytest.mark.parametrize(
    ("snippet", "interval"), [("log_right", "epoch"), ("log_wrong", "step")]
)
def test_learning_rate_monitor_logs_the_rates_the_watching_page_logs(
    tmp_path, snippet, interval
):
    """An epoch scheduler with Lightning's "interval": "epoch" logs the right
    snippet's rates; with "step" (stepped after every batch) the wrong one's."""
    import csv

    import lightning
    from lightning.pytorch.callbacks import LearningRateMonitor
    from lightning.pytorch.loggers import CSVLogger

    run = watching(snippet)
    epochs, batches = run["EPOCHS"], run["BATCHES"]
    body_lr, head_lr = run["planned"][0]

    class Tiny(lightning.LightningModule):
        def __init__(self):
            super().__init__()
            self.body, self.head = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)

        def training_step(self, batch, batch_idx):
            return self.head(self.body(batch[0])).pow(2).mean()

        def configure_optimizers(self):
            groups = [
                {"params": self.body.parameters(), "lr": body_lr},
                {"params": self.head.parameters()},
            ]
            optimizer = torch.optim.SGD(groups, lr=head_lr, momentum=0.9)
            kind = torch.optim.lr_scheduler.CosineAnnealingLR
            scheduler = kind(optimizer, T_max=epochs)
            config = {"scheduler": scheduler, "interval": interval}
            return {"optimizer": optimizer, "lr_scheduler": config}

    data = torch.utils.data.TensorDataset(torch.randn(2 * batches, 2))
    fit_on_cpu(
        Tiny(),
        data,
        max_epochs=epochs,
        logger=CSVLogger(tmp_path, name="run", version=0),
        callbacks=[LearningRateMonitor(logging_interval="step")],
        log_every_n_steps=1,  # the default, 50, would log a step in fifty
    )
    with (tmp_path / "run" / "version_0" / "metrics.csv").open() as file:
        rows = [row for row in csv.DictReader(file) if row.get("lr-SGD/pg1")]
    assert [int(row["step"]) for row in rows] == list(range(epochs * batches))
    for group, key in enumerate(("lr-SGD/pg1", "lr-SGD/pg2")):
        theirs = [float(row[key]) for row in rows]
        ours = [rates[group] for rates in run["planned"]]
        assert_same_rates(ours, theirs, f"{snippet}: {key}")


def test_tensorboard_shows_a_sample_of_1000_points_per_scalar_tag():
    """What the watching page says of TensorBoard's charts, and of reading the event
    file with EventAccumulator, at the installed version."""
    from tensorboard.backend.event_processing import data_ingester, event_accumulator
    from tensorboard.plugins.scalar import metadata

    assert data_ingester.DEFAULT_TENSOR_SIZE_GUIDANCE[metadata.PLUGIN_NAME] == 1000
    guidance = event_accumulator.DEFAULT_SIZE_GUIDANCE
    assert guidance[event_accumulator.SCALARS] == 10_000


def test_lightning_logs_every_fiftieth_step_unless_told():
    """The watching page: LearningRateMonitor(logging_interval="step") logs only
    the steps the Trainer logs, one in log_every_n_steps, 50 by default."""
    import lightning

    trainer = lightning.Trainer(
        accelerator="cpu", logger=False, enable_checkpointing=False
    )
    assert trainer.log_every_n_steps == 50


# Starting points: the library defaults the cheat sheet gives, read from the
# installed packages (the build imports none of them).


def starting_points_row(setting: str) -> str:
    page = (ROOT / "docs" / "starting-points.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith(f"| {setting}")]
    assert len(rows) == 1, setting
    return rows[0]


def named_version(row: str, package: str) -> None:
    named = re.search(rf"\({package} (\d+\.\d+)\)", row)
    assert named, f"the row should name the {package} version it gives"
    assert importlib.metadata.version(package).startswith(named.group(1) + ".")


def test_the_starting_points_give_the_trainers_defaults():
    from transformers import TrainingArguments

    row = starting_points_row("Hugging Face `Trainer`")
    named_version(row, "transformers")
    fields = {f.name: f.default for f in dataclasses.fields(TrainingArguments)}
    assert f"`learning_rate={fields['learning_rate']}`" in row  # 5e-05
    assert f"`warmup_steps={fields['warmup_steps']}`" in row
    assert f'`lr_scheduler_type="{fields["lr_scheduler_type"]}"`' in row
    assert f"`weight_decay={fields['weight_decay']}`" in row


def test_the_starting_points_give_peft_and_timm_defaults():
    import peft

    row = starting_points_row("peft's `LoraConfig`")
    named_version(row, "peft")
    fields = {f.name: f.default for f in dataclasses.fields(peft.LoraConfig)}
    for name in ("r", "lora_alpha", "lora_dropout"):
        assert f"`{name}={fields[name]}`" in row, name
    assert f"`lora_alpha / r` = {fields['lora_alpha'] // fields['r']}" in row

    row = starting_points_row("timm's `create_scheduler_v2`")
    named_version(row, "timm")
    signature = inspect.signature(timm_scheduler().create_scheduler_v2)
    defaults = {k: p.default for k, p in signature.parameters.items()}
    assert f'`sched="{defaults["sched"]}"`' in row
    for name in ("num_epochs", "warmup_epochs", "warmup_lr", "min_lr"):
        assert f"`{name}={defaults[name]}`" in row, name
    assert defaults["step_on_epochs"] and "stepped per epoch" in row
