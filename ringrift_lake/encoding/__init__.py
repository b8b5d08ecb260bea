"""Training-data encoding: feature planes, globals, targets and the explicit action space.

`encoder_for(board_type)` gives the board family's `Encoder` (`planes_chw`, `global_size`,
`action_space`, `encode_state`); `ENCODER_VERSION` names the whole layout.
"""
from ringrift_lake.encoding.action_space import ActionSpace, UnencodableMove, action_space_for
from ringrift_lake.encoding.encoder import ENCODER_VERSION, Encoder, FrameRecorder, encoder_for, scales_of

__all__ = [
    "ENCODER_VERSION", "ActionSpace", "Encoder", "FrameRecorder", "UnencodableMove", "action_space_for",
    "encoder_for", "scales_of",
]
