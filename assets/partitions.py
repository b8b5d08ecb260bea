"""The partitioning every per-config asset shares: the 12 configs (board x players)."""
import dagster as dg

from engine import CONFIGS

CONFIG_NAMES = tuple(CONFIGS)
configs = dg.StaticPartitionsDefinition(list(CONFIG_NAMES))
