"""The network behind the evaluator protocol: one batched forward per evaluate() call.

    evaluator = NetworkEvaluator(model, encoder_for("square8"), device="cuda")

Inputs are encoded into one preallocated [B, C, H, W] buffer (pinned on CUDA) by `BatchEncoder`; the
forward runs under `torch.inference_mode()`, in `channels_last` memory format, with bf16 autocast on
CUDA (fp16 where the GPU has no bf16). The batch is padded to a multiple of `batch_multiple` (16) with
stale rows of the buffer: a forward with a new batch shape is slow on CPU oneDNN in channels_last
(measured: 2 threads, batches of 40-64, 155 samples/s unpadded vs 1,969 padded; see README), and a few
fixed shapes also suit cuDNN. The legal moves' logits are gathered on the device (only those
cross back), and the values, which the network gives per seat relative to the player to move (column 0
= the mover, column k = k seats later), are turned into absolute seat order. Torch is imported here only.
"""
from __future__ import annotations

import numpy as np
import torch

from training.search.batch_encode import BatchEncoder
from training.search.move_index import MoveIndexer
from training.search.protocol import Evaluation


def absolute_values(values_b4: np.ndarray, mover_b: np.ndarray, num_players: int) -> np.ndarray:
    """float32 [B, n]: seat s (0-based) takes relative column (s - (mover - 1)) mod n."""
    rel_bn = (np.arange(num_players)[None, :] - (mover_b[:, None] - 1)) % num_players
    return np.take_along_axis(values_b4[:, :num_players], rel_bn, axis=1)


class NetworkEvaluator:
    def __init__(self, model, encoder, device="cpu", *, channels_last: bool = True, autocast: bool | None = None,
                 max_batch: int = 256, batch_multiple: int = 16):
        self.device = torch.device(device)
        self.model = model.to(self.device).eval()
        self.channels_last = channels_last
        if channels_last:
            self.model = self.model.to(memory_format=torch.channels_last)
        on_cuda = self.device.type == "cuda"
        self.autocast = on_cuda if autocast is None else autocast
        self.amp_dtype = torch.bfloat16 if (on_cuda and torch.cuda.is_bf16_supported()) else torch.float16
        self.encoder = encoder
        self.num_players = int(model.num_players)
        self.batch_encoder = BatchEncoder(encoder)
        self.indexer = MoveIndexer(encoder.action_space)
        self.batch_multiple = max(1, batch_multiple)
        self._pin = on_cuda
        self._planes = self._globals = None
        self._grow(max_batch)

    def _grow(self, batch: int) -> None:
        c, h, w = self.encoder.planes_chw
        batch = -(-batch // self.batch_multiple) * self.batch_multiple
        self._planes = torch.zeros((batch, c, h, w), dtype=torch.float32, pin_memory=self._pin)
        self._globals = torch.zeros((batch, self.encoder.global_size), dtype=torch.float32, pin_memory=self._pin)

    @torch.inference_mode()
    def forward(self, planes_bchw: torch.Tensor, globals_bg: torch.Tensor):
        x = planes_bchw.to(self.device, non_blocking=True)
        g = globals_bg.to(self.device, non_blocking=True)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.autocast):
            return self.model(x, g)

    def evaluate(self, requests) -> list[Evaluation]:
        count = len(requests)
        if not count:
            return []
        padded = -(-count // self.batch_multiple) * self.batch_multiple
        if padded > self._planes.shape[0]:
            self._grow(padded)
        planes, globals_ = self._planes[:padded], self._globals[:padded]
        self.batch_encoder.encode_into(requests, planes.numpy(), globals_.numpy())
        index_lists = [self.indexer.indices(r.state, r.legal) for r in requests]
        lengths = np.fromiter((len(x) for x in index_lists), dtype=np.int64, count=count)
        cols = np.fromiter((i for x in index_lists for i in x), dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(count), lengths)
        with torch.inference_mode():
            logits_bp, values_b4 = self.forward(planes, globals_)
            picked = logits_bp[torch.from_numpy(rows).to(self.device), torch.from_numpy(cols).to(self.device)]
            picked_l = picked.float().cpu().numpy()
            values_b4 = values_b4[:count].float().cpu().numpy()
        mover_b = np.fromiter((r.state.current_player for r in requests), dtype=np.int64, count=count)
        values_bn = absolute_values(values_b4, mover_b, self.num_players).astype(np.float32)
        out = []
        start = 0
        for b in range(count):
            end = start + int(lengths[b])
            out.append(Evaluation(picked_l[start:end], values_bn[b]))
            start = end
        return out
