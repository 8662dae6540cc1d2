"""Neural networks: modules, layers, functional ops, initialization."""
