"""Right: pass the validation loss (not the training loss) to step()."""

import torch

torch.manual_seed(0)
X, y = torch.randn(80, 2), torch.randn(80, 1)
X_train, y_train, X_val, y_val = X[:64], y[:64], X[64:], y[64:]  # hold out 16
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=2)
for epoch in range(3):
    optimizer.zero_grad()
    torch.nn.functional.mse_loss(model(X_train), y_train).backward()
    optimizer.step()
    with torch.no_grad():
        val_loss = torch.nn.functional.mse_loss(model(X_val), y_val).item()
    scheduler.step(val_loss)  # the number the scheduler watches
    print(f"epoch {epoch}: val loss {val_loss:.3f}, lr {scheduler.get_last_lr()[0]}")
