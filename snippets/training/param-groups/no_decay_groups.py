"""Weight decay on the weight matrices and embeddings only: biases and normalisation
weights (every parameter with at most one dimension) go in a group with
weight_decay=0. A twin AdamW without any decay, stepped on the same gradients, shows
what the decay did: exactly lr * weight_decay * p on the first group, nothing on
the second."""

import copy

import torch

LR, WEIGHT_DECAY = 1e-3, 0.1


class TinyNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(50, 16)
        self.norm = torch.nn.LayerNorm(16)
        self.hidden = torch.nn.Linear(16, 32)
        self.bn = torch.nn.BatchNorm1d(32)
        self.head = torch.nn.Linear(32, 4)

    def forward(self, tokens):
        x = self.norm(self.embed(tokens)).mean(dim=1)
        return self.head(torch.relu(self.bn(self.hidden(x))))


torch.manual_seed(0)
model = TinyNet()
named = dict(model.named_parameters())
decay_names = [name for name, p in named.items() if p.ndim >= 2]
no_decay_names = [name for name, p in named.items() if p.ndim <= 1]
optimizer = torch.optim.AdamW(
    [
        {"params": [named[n] for n in decay_names], "weight_decay": WEIGHT_DECAY},
        {"params": [named[n] for n in no_decay_names], "weight_decay": 0.0},
    ],
    lr=LR,
)

# %% The same step without any decay: a twin model, the same batch
start = {name: p.detach().clone() for name, p in named.items()}
twin = copy.deepcopy(model)  # the same model, stepped with no weight decay at all
twin_optimizer = torch.optim.AdamW(twin.parameters(), lr=LR, weight_decay=0.0)
tokens, labels = torch.randint(0, 50, (8, 5)), torch.randint(0, 4, (8,))
for net, opt in ((model, optimizer), (twin, twin_optimizer)):
    torch.nn.functional.cross_entropy(net(tokens), labels).backward()
    opt.step()

twins = dict(twin.named_parameters())
shift = {n: (twins[n] - p).abs().max().item() for n, p in named.items()}
header = f"{'parameter':<14}{'shape':<7}{'group':<10}"
print(header + f"{'decay moved it':>15}{'lr*wd*|p|':>11}  (largest entry)")
for name, p in named.items():
    group = "decay" if name in decay_names else "no decay"
    expected = LR * WEIGHT_DECAY * start[name].abs().max().item()
    shape = "x".join(map(str, p.shape))
    print(f"{name:<14}{shape:<7}{group:<10}{shift[name]:>15.2e}{expected:>11.2e}")

# %% Checks
assert decay_names == ["embed.weight", "hidden.weight", "head.weight"]
assert len(no_decay_names) == 6  # the norms' weights and biases, the two biases
for name in decay_names:  # exactly lr * wd * p, with the gradient's step the same
    moved = twins[name].detach() - named[name].detach()
    assert torch.allclose(moved, LR * WEIGHT_DECAY * start[name], rtol=1e-3, atol=1e-9)
for name in no_decay_names:  # not touched by the decay: bit for bit the twin's
    assert torch.equal(twins[name], named[name]) and shift[name] == 0
