"""nn: layers, modules, losses, init, optim, data (see issue 3)."""
