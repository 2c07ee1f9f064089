"""MT speed: transformers fp32 vs CTranslate2 int8 on a model with the exact opus-mt-en-ru architecture.

Speed does not depend on trained weights, so the model is randomly initialised (6+6 layers, d_model 512,
8 heads, FFN 2048, vocabulary 62,518 with shared embeddings, as Helsinki-NLP/opus-mt-en-ru). The vocabulary is
laid out like an OPUS-MT one: a 32,000-piece target sentencepiece model (Russian pieces, Cyrillic) and the
source side's (English, Latin) pieces, so the target-vocabulary map (``use_vmap``) restricts the output layer
as much as it would on the real model. English input: N sentences of ~25 words (or mixed lengths with
``--words 5-60``); every output is forced to the same length (min = max decoding length) so both backends do
the same work. Each backend runs in its own fresh subprocess, so its peak RSS and load time are its own.

    python benchmarks/mt_speed.py                       # 100 sentences, beam 1 and 4, batch 1/8/32
    python benchmarks/mt_speed.py --beams 1,4 --batches 32 --ct2 t1,t2 --rounds 3 --words 5-60

``--ct2`` lists CTranslate2 configurations, each run through the engine's own decoding call:
``t<intra>[x<inter>]`` threads, then options ``:novmap`` (score the whole vocabulary), ``:ct=<compute type>``
and ``:tok=<N>`` (each batch cut into length-sorted parts of at most N source tokens; ``tok=0``: whole). Left
out, an option takes the engine's default, so ``t1`` is what the engine does with one thread. With
``--rounds R`` every worker runs R times, interleaved, and the best run of each counts (a shared machine
disturbs some runs). Prints sentences/s per configuration, the ratio to transformers measured
in the same run, the time to load (imports included: a fresh process until the model can translate), peak RSS,
and the load average before and after. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPUS_EN_RU = dict(
    vocab_size=62518, d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
    decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
    pad_token_id=62517, decoder_start_token_id=62517, eos_token_id=0, forced_eos_token_id=0,
    scale_embedding=True, share_encoder_decoder_embeddings=True, activation_function="swish",
    static_position_embeddings=True, dropout=0.1, num_beams=4, max_length=512,
)
TARGET_PIECES = 32000  # OPUS-MT models use 32k-piece sentencepiece models on each side

_WORDS = ("the minister ambassador government talks cooperation agreement signed border trade security "
          "regional partners economic development meeting capital foreign affairs delegation summit "
          "visit relations strategic bilateral investment support people friendship countries both "
          "said today week year national council health education energy infrastructure").split()
_RU_WORDS = ("министр посол правительство переговоры сотрудничество соглашение подписали граница торговля "
             "безопасность региональные партнёры экономическое развитие встреча столица иностранных дел "
             "делегация саммит визит отношения стратегическое двустороннее инвестиции поддержка народ дружба "
             "страны обе заявил сегодня неделя год национальный совет здравоохранение образование энергетика").split()


def sentences(n: int, words: str | int, seed: int = 0, vocab=_WORDS) -> list[str]:
    """``n`` sentences of ``words`` words (an int, or ``"lo-hi"`` for lengths drawn between lo and hi)."""
    rnd = random.Random(seed)
    lo, _, hi = str(words).partition("-")
    lo, hi = int(lo), int(hi or lo)
    return [" ".join(rnd.choice(vocab) for _ in range(rnd.randint(lo, hi))).capitalize() + "." for _ in range(n)]


def _filler(alphabet: str, k: int) -> str:
    out = ""
    k += len(alphabet)  # at least two letters
    while k:
        k, r = divmod(k, len(alphabet))
        out += alphabet[r]
    return out


def _add_pieces(spm_bytes: bytes, pieces: list[str], score: float = -30.0) -> bytes:
    """Append NORMAL pieces to a serialized sentencepiece ModelProto (field 1, repeated: appending encoded
    entries extends the list; no protobuf package needed)."""

    def varint(n: int) -> bytes:
        out = b""
        while True:
            b, n = n & 0x7F, n >> 7
            out += bytes([b | (0x80 if n else 0)])
            if not n:
                return out

    extra = b""
    for p in pieces:
        raw = p.encode("utf-8")
        msg = b"\x0a" + varint(len(raw)) + raw + b"\x15" + struct.pack("<f", score) + b"\x18\x01"
        extra += b"\x0a" + varint(len(msg)) + msg
    return spm_bytes + extra


def build_model(out: Path) -> Path:
    """Random opus-mt-en-ru-shaped Marian model, its tokenizer files and its CTranslate2 int8 conversion."""
    if (out / "config.json").is_file() and (out / "ct2-int8" / "model.bin").is_file():
        return out
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel

    out.mkdir(parents=True, exist_ok=True)
    models = {}
    for side, words in (("source", _WORDS), ("target", _RU_WORDS)):
        corpus = out / f"{side}.txt"
        corpus.write_text("\n".join(sentences(2000, 25, seed=1, vocab=words)) + "\n", encoding="utf-8")
        spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(out / side), vocab_size=400,
                                       bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, minloglevel=2,
                                       hard_vocab_limit=False)
        models[side] = spm.SentencePieceProcessor(model_file=str(out / f"{side}.model"))
    tgt = models["target"]
    have = {tgt.id_to_piece(i) for i in range(tgt.get_piece_size())}
    fill, k = [], 0
    while len(have) + len(fill) < TARGET_PIECES:
        piece = ("▁" if k % 2 else "") + _filler("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", k)
        if piece not in have:
            fill.append(piece)
        k += 1
    (out / "target.spm").write_bytes(_add_pieces((out / "target.model").read_bytes(), fill))
    (out / "source.spm").write_bytes((out / "source.model").read_bytes())
    vocab = {"</s>": 0, "<unk>": 1}
    for name in ("source.spm", "target.spm"):
        sp = spm.SentencePieceProcessor(model_file=str(out / name))
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    k = 0
    while len(vocab) < OPUS_EN_RU["vocab_size"] - 1:  # the rest of the English side's pieces
        vocab.setdefault(("▁" if k % 2 else "") + _filler("abcdefghijklmnopqrstuvwxyz", k), len(vocab))
        k += 1
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({"source_lang": "en", "target_lang": "ru"}))
    for side in ("source", "target"):
        for ext in ("txt", "model", "vocab"):
            (out / f"{side}.{ext}").unlink()
    torch.manual_seed(0)
    model = MarianMTModel(MarianConfig(**OPUS_EN_RU))
    with torch.no_grad():
        model.get_input_embeddings().weight[OPUS_EN_RU["pad_token_id"]].zero_()
    model.save_pretrained(str(out))
    from workbench.mt.ct2 import convert

    convert(out, quantization="int8")
    return out


def _rss_mb() -> float:
    """Peak RSS of this process (VmHWM: per address space, so not inherited from the parent like ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_config(spec: str) -> dict:
    """``t1x2:novmap:ct=int8:tok=2048`` -> {"intra": 1, "inter": 2, "vmap": False, "ct": "int8", "tok": 2048}."""
    head, *opts = spec.split(":")
    intra, _, inter = head.lstrip("t").partition("x")
    cfg = {"name": spec, "intra": int(intra), "inter": int(inter or 1), "vmap": True, "ct": "auto", "tok": None}
    for o in opts:
        if o == "novmap":
            cfg["vmap"] = False
        elif o.startswith("ct="):
            cfg["ct"] = o[3:]
        elif o.startswith("tok="):
            cfg["tok"] = int(o[4:])
        else:
            raise SystemExit(f"unknown CTranslate2 option {o!r} in {spec!r}")
    return cfg


def worker(args) -> None:
    """Runs in a fresh subprocess: one backend, every beam/batch; prints one JSON line."""
    t0 = time.perf_counter()
    from workbench.mt.registry import ModelEntry
    from workbench.mt.tokenizer import SpmTokenizer

    model_dir = Path(args.model_dir)
    src = sentences(args.sentences, args.words)
    out_len = args.out_len
    result = {"backend": args.worker, "runs": []}
    if args.worker == "hf":
        import torch
        from transformers import MarianMTModel

        torch.set_num_threads(args.threads)
        tok = SpmTokenizer(model_dir)
        model = MarianMTModel.from_pretrained(str(model_dir), local_files_only=True).eval()
        result.update(load_s=time.perf_counter() - t0, threads=args.threads)
        pad = tok.pad_id

        def run(batch, beam):
            ids = [tok.ids(t) for t in batch]
            width = max(len(x) for x in ids)
            inp = torch.tensor([x + [pad] * (width - len(x)) for x in ids])
            mask = (inp != pad).long()
            with torch.inference_mode():
                model.generate(input_ids=inp, attention_mask=mask, num_beams=beam, do_sample=False,
                               min_new_tokens=out_len, max_new_tokens=out_len, early_stopping=False)
    else:
        from workbench.mt.ct2 import CT2Engine

        cfg = parse_config(args.config)
        entry = ModelEntry(name="bench", path=str(model_dir), tgt=["ru"])
        engine = CT2Engine(entry, threads=cfg["intra"], inter_threads=cfg["inter"], compute_type=cfg["ct"],
                           vmap=cfg["vmap"], batch_tokens=cfg["tok"])
        tok = engine.tokenizer
        result.update(load_s=time.perf_counter() - t0, config=cfg["name"],
                      vmap=list(engine.vmap) if engine.vmap else None)

        def run(batch, beam):  # the engine's own decoding call, output forced to out_len tokens
            engine.decode_tokens(batch, beam=beam, max_len=out_len, min_len=out_len)
    toks = [tok.encode(s) for s in src]
    if args.order == "sorted":  # as the engine does: batches of similar lengths
        toks.sort(key=len)
    run(toks[:2], 1)  # warm-up
    for beam in args.beams:
        for bs in args.batches:
            t = time.perf_counter()
            for i in range(0, len(toks), bs):
                run(toks[i:i + bs], beam)
            dt = time.perf_counter() - t
            result["runs"].append({"beam": beam, "batch": bs, "seconds": dt, "sent_per_s": len(toks) / dt})
            print(f"  [{args.worker} {args.config or ''}] beam {beam} batch {bs}: {len(toks) / dt:.2f} sent/s",
                  file=sys.stderr, flush=True)
    result["peak_rss_mb"] = _rss_mb()
    result["modules"] = sorted(m for m in ("torch", "transformers") if m in sys.modules)
    print(json.dumps(result))


def _load() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=100)
    ap.add_argument("--words", default="25", help="words per sentence: 25, or a range such as 5-60")
    ap.add_argument("--out-len", type=int, default=40, help="forced output length in tokens (default 40)")
    ap.add_argument("--beams", default="1,4")
    ap.add_argument("--batches", default="1,8,32")
    ap.add_argument("--order", choices=["sorted", "as-is"], default="sorted",
                    help="sort the input by length before batching, as the engine does (default)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="transformers (torch) threads")
    ap.add_argument("--ct2", default="t1,t1:tok=0,t1:novmap,t2,t1x2",
                    help="CTranslate2 configurations (default t1,t1:tok=0,t1:novmap,t2,t1x2; see above)")
    ap.add_argument("--rounds", type=int, default=1, help="run every worker this many times; best run counts")
    ap.add_argument("--model-dir", help="where to build/keep the random model (default: a temp dir)")
    ap.add_argument("--worker", choices=["hf", "ct2"], help=argparse.SUPPRESS)
    ap.add_argument("--config", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.beams = [int(x) for x in str(args.beams).split(",")]
    args.batches = [int(x) for x in str(args.batches).split(",")]
    if args.worker:
        worker(args)
        return

    model_dir = Path(args.model_dir) if args.model_dir else Path(tempfile.mkdtemp(prefix="mt_speed_")) / "opus-en-ru"
    t = time.perf_counter()
    build_model(model_dir)
    print(f"model: random opus-mt-en-ru architecture in {model_dir} ({time.perf_counter() - t:.0f} s to build)",
          file=sys.stderr)
    load_before = _load()
    common = ["--model-dir", str(model_dir), "--sentences", str(args.sentences), "--words", str(args.words),
              "--out-len", str(args.out_len), "--beams", ",".join(map(str, args.beams)),
              "--batches", ",".join(map(str, args.batches)), "--order", args.order, "--threads", str(args.threads)]
    configs = [c.strip() for c in args.ct2.split(",") if c.strip()]
    for c in configs:
        parse_config(c)
    jobs = [("hf", "")] + [("ct2", c) for c in configs]
    best: dict[tuple[str, str], dict] = {}
    for _ in range(max(1, args.rounds)):
        for backend, config in jobs:
            cmd = [sys.executable, __file__, "--worker", backend, "--config", config, *common]
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # progress lines go to our stderr
            if proc.returncode:
                raise SystemExit(f"{backend} {config} worker failed")
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            old = best.get((backend, config))
            if old is None:
                best[(backend, config)] = res
                continue
            for a, b in zip(old["runs"], res["runs"]):
                if b["sent_per_s"] > a["sent_per_s"]:
                    a.update(b)
            old["load_s"] = min(old["load_s"], res["load_s"])
            old["peak_rss_mb"] = max(old["peak_rss_mb"], res["peak_rss_mb"])
    load_after = _load()
    hf = best[("hf", "")]
    cts = [best[("ct2", c)] for c in configs]
    print(f"\nMT speed, {args.sentences} sentences x {args.words} words ({args.order}), output fixed at "
          f"{args.out_len} tokens, best of {max(1, args.rounds)} run(s); {os.cpu_count()} CPUs; load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after (1-min), {load_after[1]:.2f} (5-min)")
    print(f"transformers fp32, {args.threads} threads; CTranslate2 int8 configurations: " + ", ".join(configs))
    head = f"{'beam':>4} {'batch':>5} {'hf s/s':>8}" + "".join(f" {c[:16]:>16} {'ratio':>6}" for c in configs)
    print(head)
    for i, run in enumerate(hf["runs"]):
        line = f"{run['beam']:>4} {run['batch']:>5} {run['sent_per_s']:>8.2f}"
        for r in cts:
            c = r["runs"][i]
            line += f" {c['sent_per_s']:>16.2f} {c['sent_per_s'] / run['sent_per_s']:>5.2f}x"
        print(line)
    print(f"load (fresh process, imports included): hf {hf['load_s']:.2f} s; " + "; ".join(
        f"{r['config']} {r['load_s']:.2f} s" for r in cts))
    print(f"peak RSS: hf {hf['peak_rss_mb']:.0f} MB; " + "; ".join(
        f"{r['config']} {r['peak_rss_mb']:.0f} MB ({r['peak_rss_mb'] / hf['peak_rss_mb']:.2f}x)" for r in cts))
    vm = next((r["vmap"] for r in cts if r.get("vmap")), None)
    if vm:
        print(f"target-vocabulary map: {vm[0]:,} of {vm[1]:,} tokens always scored")
    print("modules loaded by the CTranslate2 workers: " + (", ".join(sorted({m for r in cts for m in r["modules"]}))
                                                           or "neither torch nor transformers"))
    size = lambda p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file())  # noqa: E731
    print(f"on disk: transformers {size(model_dir) - size(model_dir / 'ct2-int8'):,} bytes; "
          f"ct2 int8 {size(model_dir / 'ct2-int8'):,} bytes")


if __name__ == "__main__":
    main()
