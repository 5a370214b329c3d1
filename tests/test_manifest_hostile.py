"""Hostile manifests: alias bombs, deep nesting, odd values and a fuzz corpus never hang or crash.

Discovery runs for every command, so one hostile SKILL.md on the search path must end as a
manifest error for that file, quickly and in bounded memory. The CLI cases run the real
``skillrt`` process (bounded by a kill timer and an address-space limit so a regression
fails instead of eating the machine); the corpus runs in-process, each case timed.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillrt.cli import app
from skillrt.errors import ManifestError
from skillrt.runtime import bundled_skills_dir, discover_skills, load_skill
from skillrt.runtime._manifest_yaml import MAX_YAML_DEPTH

BUNDLED = {p.parent.name: p.read_bytes() for p in sorted(bundled_skills_dir().glob("*/SKILL.md"))}
#: Seconds and megabytes one hostile case may take (the issue's bounds).
CASE_SECONDS = 2.0
CASE_MB = 200
#: A process that has not finished by then is hung (interpreter start-up is slow on a busy
#: machine; the 2 s bound is checked on the parsing itself, in-process, below).
PROCESS_SECONDS = 60.0


def alias_bomb(anchors: int = 10, aliases: int = 10) -> bytes:
    """ "Billion laughs": each anchor is a list of ``aliases`` references to the previous."""
    lines = ["---", "name: NAME", 'a0: &a0 ["lol"]']
    for i in range(1, anchors):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * aliases) + "]")
    lines += ["description: x", "---", "body", ""]
    return "\n".join(lines).encode()


def deep_flow(levels: int = 1000, opener: str = "[") -> bytes:
    """``x: [[[[...]]]]`` (or ``{a: {a: ...}}``) nested ``levels`` deep."""
    closer = "]" if opener == "[" else "}"
    inner = (opener if opener == "[" else "{a: ") * levels + "1" + closer * levels
    return f"---\nname: NAME\nx: {inner}\n---\nbody\n".encode()


def deep_block(levels: int = 500) -> bytes:
    """Block mappings indented ``levels`` deep."""
    lines = ["---", "name: NAME"]
    lines += [" " * i + f"k{i}:" for i in range(levels)]
    lines += [" " * levels + "v: 1", "---", "body", ""]
    return "\n".join(lines).encode()


def _write(root: Path, name: str, content: bytes) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_bytes(content.replace(b"NAME", name.encode()))
    return folder / "SKILL.md"


# -- the CLI process -----------------------------------------------------------------------

_HOSTILE: dict[str, bytes] = {
    "alias-bomb": alias_bomb(),
    "deep-flow": deep_flow(1000, "["),
    "deep-mapping": deep_flow(1000, "{"),
    "deep-block": deep_block(500),
    "random-bytes": random.Random(7).randbytes(4096),
    "ten-megabytes": b"---\nname: ten-megabytes\n" + b"x: " + b"a" * (10 * 2**20) + b"\n---\n",
}


#: A launcher: runs the CLI with its address space capped (a safety net: a regression fails
#: with MemoryError instead of swapping the machine), writes the CLI's own peak memory (KB)
#: to the file named first, and exits with the CLI's code. Measuring from the test process
#: would not do: Linux starts a spawned child's peak at its parent's (the test process's,
#: which grows over a full run); this small launcher is the CLI's parent instead.
_LAUNCH = """
import os, resource, sys
peak_file, args = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
    os.execv(sys.executable, [sys.executable, "-m", "skillrt", *args])
_, status, usage = os.wait4(pid, 0)
with open(peak_file, "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _start_cli(args: list[str], env: dict[str, str], stderr: Path) -> subprocess.Popen[bytes]:
    with stderr.open("wb") as sink:  # a file, not a pipe: a long traceback cannot block it
        return subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, str(_peak_file(stderr)), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            start_new_session=True,  # a hung CLI is killed with its launcher (killpg)
        )


def _peak_file(stderr: Path) -> Path:
    return stderr.with_name(stderr.name + ".peak")


def _finish(process: subprocess.Popen[bytes], deadline: float, stderr: Path) -> tuple[int, float]:
    """``(returncode, peak_mb)`` of a started CLI; fails the test if it hangs."""
    _wait(process, deadline)
    return process.returncode or 0, int(_peak_file(stderr).read_text()) / 1024


def _wait(process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    pytest.fail(f"{process.args} hung for {PROCESS_SECONDS} s")


def test_cli_survives_hostile_manifests(tmp_path: Path) -> None:
    """Each hostile SKILL.md on SKILLRT_SKILLS_PATH: `skills list` exits 0 and names the file."""
    started = {}
    for case, content in _HOSTILE.items():
        _write(tmp_path / case, case, content)
        env = {**os.environ, "SKILLRT_SKILLS_PATH": str(tmp_path / case)}
        started[case] = _start_cli(["skills", "list"], env, tmp_path / f"{case}.err")
    deadline = time.monotonic() + PROCESS_SECONDS
    for case, process in started.items():
        code, peak_mb = _finish(process, deadline, tmp_path / f"{case}.err")
        stderr = (tmp_path / f"{case}.err").read_text(errors="replace")
        assert "Traceback" not in stderr, f"{case}: {stderr[-2000:]}"
        assert code == 0, f"{case}: {stderr}"
        assert f"invalid: {tmp_path / case / case / 'SKILL.md'}" in stderr, case
        assert peak_mb < CASE_MB, f"{case}: {peak_mb:.0f} MB"


def test_cli_validate_alias_bomb_exits_1_with_line(tmp_path: Path) -> None:
    """`skills validate` on an alias bomb exits 1 naming the file and the first alias's line."""
    path = _write(tmp_path, "alias-bomb", alias_bomb())
    process = _start_cli(["skills", "validate", str(path)], dict(os.environ), tmp_path / "err")
    code, _ = _finish(process, time.monotonic() + PROCESS_SECONDS, tmp_path / "err")
    stderr = (tmp_path / "err").read_text()
    assert code == 1, stderr
    assert f"{path}:4: YAML aliases are not allowed" in stderr
    assert "Traceback" not in stderr


# -- in-process: each refusal and its message ---------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (alias_bomb(), 4, "YAML aliases are not allowed in a manifest (found *a0)"),
        (deep_flow(1000, "["), 3, f"nested more than {MAX_YAML_DEPTH} levels"),
        (deep_flow(1000, "{"), 3, f"nested more than {MAX_YAML_DEPTH} levels"),
        (deep_block(500), 3 + MAX_YAML_DEPTH, f"nested more than {MAX_YAML_DEPTH} levels"),
        (b"---\nname: NAME\nwhen: 2024-13-45\n---\nbody\n", 3, "a value cannot be read"),
        (b"---\nname: NAME\nn: " + b"9" * 5000 + b"\n---\nbody\n", 3, "a value cannot be read"),
    ],
    ids=["alias", "flow-list", "flow-map", "block", "bad-date", "huge-int"],
)
def test_refusal_names_file_and_line(
    content: bytes, line: int, message: str, tmp_path: Path
) -> None:
    """Aliases, deep nesting and unbuildable values are a ManifestError at their line."""
    path = _write(tmp_path, "hostile", content)
    with pytest.raises(ManifestError) as caught:
        load_skill(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert message in caught.value.message


def test_anchor_without_alias_and_moderate_nesting_still_load(tmp_path: Path) -> None:
    """An anchor nobody refers to, and nesting within the limit, are ordinary YAML."""
    text = BUNDLED["caption-ab"].decode().replace("\nmetadata:", "\nmetadata: &meta", 1)
    nested = "[" * (MAX_YAML_DEPTH - 2) + "1" + "]" * (MAX_YAML_DEPTH - 2)
    text = text.replace("\nmetadata:", f"\nextra: {nested}\nmetadata:", 1)
    name = text.split("name: ", 1)[1].split("\n", 1)[0]
    path = _write(tmp_path, name, text.encode())
    assert load_skill(path).name == name


# -- the fuzz corpus -----------------------------------------------------------------------

Mutation = Callable[[random.Random, bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 4)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def _duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 4)):
        index = rng.randrange(len(lines))
        lines.insert(rng.randrange(len(lines) + 1), lines[index])
    return b"".join(lines)


def _random_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _insert_chars(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        piece = rng.choice([b"\t", b":", b"- ", b"&x ", b"*x", b"[", b"{", b"'", b'"', b"#", b"!!"])
        out[rng.randrange(len(out)) : 0] = piece
    return bytes(out)


def _swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def _crlf(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def _bom(rng: random.Random, data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def _tabs(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"  ", b"\t", rng.randint(1, 20))


def _odd_values(rng: random.Random, data: bytes) -> bytes:
    value = rng.choice(
        [b"2024-02-30", b"0x" + b"f" * 400, b"9" * 4400, b"!!binary ***", b".nan", b"~",
         b"!!python/object:os.system", b"? [a, b]", b"<<: {a: 1}", b"1e999", b"!!set {a}"]
    )  # fmt: skip
    lines = _lines(data)
    if len(lines) < 2:  # an earlier mutation left almost nothing: add the value
        return data + b"\nx: " + value + b"\n"
    index = rng.randrange(1, max(2, len(lines) // 2))
    key = lines[index].split(b":", 1)[0] if b":" in lines[index] else b"x"
    lines[index] = key + b": " + value + b"\n"
    return b"".join(lines)


MUTATIONS: tuple[Mutation, ...] = (
    _delete_lines, _duplicate_lines, _random_bytes, _insert_chars, _swap_lines, _truncate,
    _crlf, _bom, _tabs, _odd_values,
)  # fmt: skip


def corpus(seed: int = 20261202, size: int = 240) -> Iterator[tuple[str, str, bytes]]:
    """``(case, folder, content)``: seeded mutations of the bundled manifests (in their own
    folder's name, so the ones still valid load), then the hand-made hostile files."""
    rng = random.Random(seed)
    for number in range(size):
        folder = rng.choice(sorted(BUNDLED))
        data = BUNDLED[folder]
        names = []
        for _ in range(rng.randint(1, 3)):
            mutation = rng.choice(MUTATIONS)
            names.append(mutation.__name__.strip("_"))
            data = mutation(rng, data)
        yield f"{number}-{'+'.join(names)}", folder, data
    for name, data in _HOSTILE.items():
        yield name, name, data
    yield "bom-crlf-bomb", "bomb", b"\xef\xbb\xbf" + alias_bomb().replace(b"\n", b"\r\n")
    yield "wide-bomb", "bomb", alias_bomb(anchors=4, aliases=1000)
    yield "empty", "empty", b""
    yield "only-dashes", "dashes", b"---\n---\n"


def test_fuzz_corpus_ends_in_skill_or_manifest_error(tmp_path: Path) -> None:
    """Every corpus case loads or is one ManifestError for its file: in 2 s, never another error."""
    start_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    slowest = (0.0, "")
    outcomes = {"loaded": 0, "refused": 0}
    for number, (name, folder, data) in enumerate(corpus()):
        root = tmp_path / str(number)
        path = _write(root, folder, data)
        started = time.monotonic()
        found = discover_skills([root], env={}, user_dir=tmp_path / "none", bundled=False)
        try:
            load_skill(path)
            outcomes["loaded"] += 1
        except ManifestError as exc:
            outcomes["refused"] += 1
            refused = exc
        else:
            refused = None
        assert refused is None or refused.path == path, name
        elapsed = time.monotonic() - started
        slowest = max(slowest, (elapsed, name))
        assert elapsed < CASE_SECONDS, f"{name}: {elapsed:.2f} s"
        assert len(found.skills) + len(found.problems) == 1, name
        for problem in found.problems:
            assert problem.path == path, name
            # The backstop must stay unused: each kind of problem has its own message.
            assert "could not be read" not in problem.message, f"{name}: {problem}"
    grown_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - start_mb
    assert grown_mb < CASE_MB, f"peak memory grew by {grown_mb:.0f} MB"
    assert outcomes["refused"] > 100, outcomes
    assert outcomes["loaded"] > 5, outcomes
    assert slowest[0] < CASE_SECONDS, slowest


def test_discovery_skips_unbuildable_values_and_keeps_the_rest(tmp_path: Path) -> None:
    """A SKILL.md whose YAML value raises inside PyYAML is a problem; the others still load."""
    _write(tmp_path, "bad-date", b"---\nname: NAME\nwhen: 2024-02-30\n---\nbody\n")
    _write(tmp_path, "caption-ab", BUNDLED["caption-ab"])
    found = discover_skills([tmp_path], env={}, user_dir=tmp_path / "none", bundled=False)
    assert sorted(found.skills) == ["caption-ab"]
    assert [p.path for p in found.problems] == [tmp_path / "bad-date" / "SKILL.md"]


def test_discovery_reports_any_other_failure_as_that_manifests_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever else goes wrong with one file (here platform detection) is its ManifestError,
    in discovery and in `skills validate` alike."""

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr("skillrt.runtime._loader.detect_platform", broken)
    _write(tmp_path, "caption-ab", BUNDLED["caption-ab"])
    found = discover_skills([tmp_path], env={}, user_dir=tmp_path / "none", bundled=False)
    assert found.skills == {}
    (problem,) = found.problems
    assert problem.path == tmp_path / "caption-ab" / "SKILL.md"
    assert problem.message == "the manifest could not be read (RuntimeError)"
    validated = CliRunner().invoke(app, ["skills", "validate", str(problem.path)])
    assert validated.exit_code == 1
    assert "the manifest could not be read (RuntimeError)" in validated.output


def test_a_search_path_entry_naming_no_home_is_no_crash(tmp_path: Path) -> None:
    """SKILLRT_SKILLS_PATH=~nosuchuser/skills names no folder: discovery goes on."""
    _write(tmp_path, "caption-ab", BUNDLED["caption-ab"])
    env = {"SKILLRT_SKILLS_PATH": os.pathsep.join(["~no-such-user-xyz/skills", str(tmp_path)])}
    found = discover_skills(env=env, user_dir=tmp_path / "none", bundled=False)
    assert sorted(found.skills) == ["caption-ab"]
    assert found.problems == []
