"""Fleet workers: long-running selfplay processes that follow the lake's allocation and champions.

settings.py          WorkerSettings (the `ringrift-lake worker` flags; no torch)
checkpoint_cache.py  CheckpointCache: checkpoints fetched from the lake, verified, kept locally
worker_loop.py       FleetWorker: allocation -> config -> champion -> batched search selfplay -> one commit
"""
