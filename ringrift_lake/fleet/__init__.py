"""The selfplay fleet, lake side (no torch, no dagster): the allocation rule and its table, the facts
it reads, what a worker plays next, heartbeats and commit journals.

allocation.py        AllocationRule, ConfigFacts, allocate(): every config's share of selfplay time
lake_facts.py        gather_facts(): Elo velocity, new/needed samples, games, time since promotion
allocation_table.py  write_allocation / latest_allocation / allocation_history (`allocations`)
choice.py            draw_config (from batch shares), selfplay_player (champion or fallback)
heartbeat.py         Heartbeat rows (`workers`), worker_states(): alive | lost | stopped
journal.py           CommitJournal: exact record of a worker's commits across kills and restarts
report.py            markdown tables and the share-history plot for the UI and the CLI
"""
