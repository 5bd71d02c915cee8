"""Demo command posts built through the real write functions: the post itself (posts), its names and places
(names), and its accounts, roster, passes, registers and supplies."""
