"""The Frameworks page's plain PyTorch code gives the rates the libraries give:
transformers' schedulers, a real lightning.Trainer run and timm's schedulers, step
for step. If a library changes what a name means, the page is wrong and this fails.
And what the mixed-precision and several-processes pages say Accelerate's wrappers
do, run with Accelerate's own AcceleratedOptimizer and AcceleratedScheduler."""

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
import snippet_runner
import torch
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
    trainer = lightning.Trainer(
        accelerator="cpu",
        max_epochs=run["epochs"],
        logger=False,
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
    return model.rates


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
