"""`import`: reference JSONL and legacy SQLite games into raw_games, idempotently, bad records named and kept."""
import gzip
import json
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from ringrift_lake import tables
from ringrift_lake.consolidate import consolidate
from ringrift_lake.ingest import import_files
from raw_games_checks import duplicate_ids, raw_rows, replay_failures

FIXTURES = Path("/work/shared/fixtures")
REFERENCE = FIXTURES / "reference-games"
LEGACY = FIXTURES / "legacy-sqlite"
pytestmark = pytest.mark.skipif(not REFERENCE.is_dir() or not LEGACY.is_dir(), reason="shared fixtures missing")


def _records(path):
    with gzip.open(path, "rt") as handle:
        return [json.loads(line) for line in handle]


def _versions(lake):
    return {name: tables.version(lake, name) for name in ("raw_games", "quarantine")}


def test_importing_the_same_files_twice_leaves_the_tables_unchanged(lake):
    files = [str(REFERENCE / "square8_2p.jsonl.gz"), str(REFERENCE / "hex8_3p.jsonl.gz"),
             str(LEGACY / "selfplay_square8_2p_heuristic.db")]
    first = import_files(lake, files)
    assert first.ok, first.errors
    assert [f.accepted for f in first.files] == [30, 29, 20]
    versions, rows = _versions(lake), raw_rows(lake)
    second = import_files(lake, files)
    assert second.total("accepted") == 0 and second.total("duplicates") == 79
    assert _versions(lake) == versions
    after = raw_rows(lake)
    assert sorted(after, key=lambda r: r["game_id"]) == sorted(rows, key=lambda r: r["game_id"])
    assert len(after) == 79 and duplicate_ids(after) == {}


def test_reference_games_keep_their_moves_and_replay_strictly_with_r172_off(local_lake):
    path = REFERENCE / "square8_3p.jsonl.gz"
    import_files(local_lake, [str(path)])
    rows = {r["game_id"]: r for r in raw_rows(local_lake)}
    records = _records(path)
    assert sorted(rows) == sorted(r["gameId"] for r in records)
    for record in records:
        row = rows[record["gameId"]]
        assert [json.loads(m) for m in row["moves"]] == record["moves"]
        assert (row["status"], row["winner"], row["reason"]) == (record["status"], record["winner"], record["reason"])
        assert row["source"] == "import:reference" and row["validation_mode"] == "strict"
        assert json.loads(row["rules_options"])["lpsRoundsRequired"] == 0
        assert [s["agent"] for s in row["seats"]] == ["reference"] * 3
    assert replay_failures(rows.values()) == []


def test_legacy_games_map_seats_moves_and_reasons(local_lake):
    path = LEGACY / "selfplay_square8_2p_random.db"
    report = import_files(local_lake, [str(path)])
    assert report.ok and report.total("accepted") == 40
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    stored = dict(con.execute("SELECT game_id, total_moves FROM games").fetchall())
    rows = raw_rows(local_lake)
    assert {r["game_id"]: r["num_moves"] for r in rows} == stored
    for row in rows:
        assert row["source"] == "import:legacy" and row["validation_mode"] == "legacy"
        assert [s["agent"] for s in row["seats"]] == ["legacy:random", "legacy:random"]
        assert json.loads(row["rules_options"])["lpsRoundsRequired"] == 3
        assert row["started_at"] is not None and row["finished_at"] >= row["started_at"]
        for text in row["moves"]:
            move = json.loads(text)
            assert "null" not in text and not {"id", "timestamp", "thinkTime", "phase"} & set(move)
    reasons = {r["reason"] for r in rows}
    assert {"ring_elimination", "territory_control"} <= reasons and not any("elimination" in r and ":" in r
                                                                           for r in reasons)
    first = con.execute("SELECT move_json FROM game_moves ORDER BY game_id, move_number LIMIT 1").fetchone()[0]
    legacy_move = json.loads(first)
    row = next(r for r in rows if r["game_id"] == con.execute(
        "SELECT game_id FROM game_moves ORDER BY game_id, move_number LIMIT 1").fetchone()[0])
    assert json.loads(row["moves"][0])["to"] == {k: v for k, v in legacy_move["to"].items() if v is not None}


def test_a_malformed_jsonl_file_names_file_and_line_and_keeps_the_good_records(local_lake, tmp_path):
    good = [json.dumps(r) for r in _records(REFERENCE / "square8_2p.jsonl.gz")[:3]]
    missing_moves = json.loads(good[1])
    del missing_moves["moves"]
    bad_file = tmp_path / "bad.jsonl"
    lines = [good[0], '{"gameId": "x", broken', json.dumps(missing_moves), '{"gameId": "\xff"}', good[2]]
    bad_file.write_bytes("\n".join(lines).encode("latin-1") + b"\n")
    report = import_files(local_lake, [str(bad_file)])
    assert report.total("accepted") == 2
    assert report.quarantined == {"schema_error": 3}
    assert any(e.startswith(f"{bad_file}: line 4: invalid JSON") for e in report.errors), report.errors
    assert any(e.startswith(f"{bad_file}: line 2: invalid JSON") for e in report.errors), report.errors
    assert any(e.startswith(f"{bad_file}: line 3 (game {missing_moves['gameId']}): missing field 'moves'")
               for e in report.errors), report.errors
    quarantine = {q["game_id"]: q for q in tables.read(local_lake, "quarantine").to_pylist()}
    assert quarantine["bad.jsonl#L2"]["payload"] == '{"gameId": "x", broken'
    assert json.loads(quarantine[missing_moves["gameId"]]["payload"]) == missing_moves
    assert {q["reason"] for q in quarantine.values()} == {"schema_error"}
    assert {q["config"] for q in quarantine.values()} == {"unknown", "square8_2p"}
    versions = _versions(local_lake)
    again = import_files(local_lake, [str(bad_file)])
    assert again.total("accepted") == 0 and again.quarantined == {} and _versions(local_lake) == versions


@pytest.mark.parametrize("fraction", [0.01, 0.07, 0.5, 0.97])
def test_a_truncated_gzip_keeps_every_complete_line_and_names_the_last(local_lake, tmp_path, fraction):
    data = (REFERENCE / "hex8_2p.jsonl.gz").read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: int(len(data) * fraction)])
    readable = zlib.decompressobj(31).decompress(cut.read_bytes())      # what the cut left
    complete = readable.count(b"\n")
    good_ids = [json.loads(line)["gameId"] for line in readable.split(b"\n")[:complete]]

    report = import_files(local_lake, [str(cut)])

    assert report.total("accepted") == complete
    assert sorted(r["game_id"] for r in raw_rows(local_lake, ["game_id"])) == sorted(good_ids)
    where = f"after line {complete}, the last complete one" if complete else "before its first complete line"
    assert report.errors == [f"{cut}: truncated {where} (Compressed file ended before the end-of-stream marker "
                             f"was reached); lines 1..{complete} were kept"]
    assert report.files[0].truncated_after == complete and not report.files[0].failed
    assert report.quarantined == {} and tables.version(local_lake, "quarantine") is None
    assert f"TRUNCATED after line {complete}" in report.render()


def test_the_import_command_exits_non_zero_on_a_truncated_file(local_lake, lake_env, tmp_path):
    data = (REFERENCE / "square8_2p.jsonl.gz").read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    done = subprocess.run([sys.executable, "-m", "cli", "import", str(cut)], env=lake_env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cut.jsonl.gz: truncated after line" in errors[0], done.stdout
    assert len(raw_rows(local_lake, ["game_id"])) > 0


def test_the_legacy_databases_get_the_canonical_verdicts(local_lake):
    report = import_files(local_lake, sorted(str(p) for p in LEGACY.glob("*.db")))
    assert report.ok and report.total("accepted") == 120
    result = consolidate(local_lake, workers=1)
    assert result.games_added == 96
    assert result.quarantined == {"illegal_move": 2, "result_unconfirmed": 22}
    games = set(tables.read(local_lake, "games", columns=["game_id"]).column("game_id").to_pylist())
    assert {"eeb33a0e-5d08-4425-9915-7430195a6f54", "6b91f815-75f3-475c-98ce-4ca3d7af6949"} <= games  # R172 not
    assert "b29af3f0-47b1-4f40-a63b-edc2c1d2f6fc" in games     # move 158 legal: recovery extraction order
    quarantine = tables.read(local_lake, "quarantine").to_pylist()
    past_lps = next(q for q in quarantine if q["game_id"] == "9ab13ecb-340a-4b84-b658-262fabcca625")
    assert past_lps["reason"] == "result_unconfirmed"            # replayed to its end, where no rule confirms it
    illegal = [q for q in quarantine if q["reason"] == "illegal_move"]
    assert sorted(q["detail"].split(":")[1].split()[0] for q in illegal) == ["RR-CANON-R082", "RR-CANON-R122"]


def test_unreadable_files_are_reported_and_the_others_imported(local_lake, tmp_path):
    not_db = tmp_path / "garbage.db"
    not_db.write_bytes(b"this is not sqlite" * 100)
    unknown = tmp_path / "games.csv"
    unknown.write_text("a,b\n")
    report = import_files(local_lake, [str(not_db), str(unknown), str(LEGACY / "selfplay_hex8_2p_heuristic.db")])
    assert report.total("accepted") == 20
    assert [f.failed for f in report.files] == [True, True, False]
    assert report.errors[0].startswith(f"{not_db}: not a readable SQLite database")
    assert report.errors[1].startswith(f"{unknown}: unknown file type")


def test_an_inconsistent_legacy_game_is_quarantined_by_game_id(local_lake, tmp_path):
    copy = tmp_path / "broken.db"
    shutil.copy(LEGACY / "selfplay_hex8_2p_heuristic.db", copy)
    con = sqlite3.connect(copy)
    victim = con.execute("SELECT game_id FROM games ORDER BY game_id LIMIT 1").fetchone()[0]
    con.execute("DELETE FROM game_moves WHERE game_id = ? AND move_number = 3", (victim,))
    con.commit()
    con.close()
    report = import_files(local_lake, [str(copy)])
    assert report.total("accepted") == 19 and report.quarantined == {"schema_error": 1}
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{copy}: game {victim}: move numbers are not 0..")
    (row,) = tables.read(local_lake, "quarantine").to_pylist()
    assert row["game_id"] == victim and row["config"] == "hex8_2p" and row["source"] == "import:legacy"
    assert victim not in {r["game_id"] for r in raw_rows(local_lake)}


def test_cli_import_prints_the_report_and_fails_on_bad_records(local_lake, lake_env, tmp_path):
    bad = tmp_path / "one_bad.jsonl"
    bad.write_text("not json at all\n")
    result = subprocess.run([sys.executable, "-m", "cli", "import", str(REFERENCE / "square8_4p.jsonl.gz"),
                             str(bad)], env=lake_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert f"error: {bad}: line 1: invalid JSON" in result.stdout
    assert "quarantined schema_error: 1" in result.stdout
    assert tables.read(local_lake, "raw_games").num_rows == 30


def test_a_game_twice_in_one_import_is_written_once(local_lake, tmp_path):
    record = json.dumps(_records(REFERENCE / "hex8_4p.jsonl.gz")[0])
    twice = tmp_path / "twice.jsonl"
    twice.write_text(record + "\n" + record + "\n")
    report = import_files(local_lake, [str(twice), str(twice)])
    assert (report.total("accepted"), report.total("duplicates")) == (1, 3)
    assert tables.read(local_lake, "raw_games").num_rows == 1
