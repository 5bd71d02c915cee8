"""The registers (台账) screen of a grid."""
