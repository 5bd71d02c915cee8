"""Supply screens: the overview, its desk work, fast delivery logging and forming a run."""
