"""MT speed: transformers fp32 vs CTranslate2 int8 on a model with the exact opus-mt-en-ru architecture.

Speed does not depend on trained weights, so the model is randomly initialised (6+6 layers, d_model 512,
8 heads, FFN 2048, vocabulary 62,518 with shared embeddings, as Helsinki-NLP/opus-mt-en-ru). English input:
N sentences of ~25 words; every output is forced to the same length (min = max decoding length) so both
backends do the same work. Each backend runs in its own subprocess, so its peak RSS is its own.

    python benchmarks/mt_speed.py                       # 100 sentences, beam 1 and 4, batch 1/8/32
    python benchmarks/mt_speed.py --sentences 32 --batches 8,32 --beams 4 --ct2-threads 1,2

Prints sentences/s per configuration, the CT2/transformers ratio measured in the same run, load time and
peak RSS of each backend. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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

_WORDS = ("the minister ambassador government talks cooperation agreement signed border trade security "
          "regional partners economic development meeting capital foreign affairs delegation summit "
          "visit relations strategic bilateral investment support people friendship countries both "
          "said today week year national council health education energy infrastructure").split()


def sentences(n: int, words: int, seed: int = 0) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        ws = [rnd.choice(_WORDS) for _ in range(words)]
        out.append(" ".join(ws).capitalize() + ".")
    return out


def build_model(out: Path) -> Path:
    """Random opus-mt-en-ru-shaped Marian model + a MarianTokenizer (small spm, full-size vocab.json)."""
    if (out / "config.json").is_file() and (out / "ct2-int8" / "model.bin").is_file():
        return out
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel

    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "corpus.txt"
    corpus.write_text("\n".join(sentences(2000, 25, seed=1)) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(out / "sp"), vocab_size=400,
                                   bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, minloglevel=2, hard_vocab_limit=False)
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes((out / "sp.model").read_bytes())
    sp = spm.SentencePieceProcessor(model_file=str(out / "sp.model"))
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(sp.get_piece_size()):
        vocab.setdefault(sp.id_to_piece(i), len(vocab))
    while len(vocab) < OPUS_EN_RU["vocab_size"] - 1:
        vocab[f"▁w{len(vocab)}"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({"source_lang": "en", "target_lang": "ru"}))
    for f in ("corpus.txt", "sp.model", "sp.vocab"):
        (out / f).unlink()
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


def worker(args) -> None:
    """Runs in a subprocess: one backend, every configuration; prints one JSON line."""
    from transformers import MarianTokenizer

    model_dir = Path(args.model_dir)
    tok = MarianTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    src = sentences(args.sentences, args.words)
    ids = [tok(s)["input_ids"] for s in src]
    out_len = args.out_len
    result = {"backend": args.worker, "threads": args.threads, "runs": []}
    t0 = time.perf_counter()
    if args.worker == "hf":
        import torch
        from transformers import MarianMTModel

        torch.set_num_threads(args.threads)
        model = MarianMTModel.from_pretrained(str(model_dir), local_files_only=True).eval()
        result["load_s"] = time.perf_counter() - t0
        pad = tok.pad_token_id

        def run(batch_ids, beam):
            width = max(len(x) for x in batch_ids)
            inp = torch.tensor([x + [pad] * (width - len(x)) for x in batch_ids])
            mask = (inp != pad).long()
            with torch.inference_mode():
                model.generate(input_ids=inp, attention_mask=mask, num_beams=beam, do_sample=False,
                               min_new_tokens=out_len, max_new_tokens=out_len, early_stopping=False)
    else:
        import ctranslate2

        tr = ctranslate2.Translator(str(model_dir / "ct2-int8"), device="cpu", compute_type=args.compute_type,
                                    intra_threads=args.threads, inter_threads=1)
        result["load_s"] = time.perf_counter() - t0
        def run(batch_ids, beam):
            batch = [tok.convert_ids_to_tokens(x) for x in batch_ids]
            tr.translate_batch(batch, beam_size=beam, min_decoding_length=out_len, max_decoding_length=out_len,
                               max_batch_size=0, return_scores=False)
    run(ids[:2], 1)  # warm-up
    for beam in args.beams:
        for bs in args.batches:
            t = time.perf_counter()
            for i in range(0, len(ids), bs):
                run(ids[i:i + bs], beam)
            dt = time.perf_counter() - t
            result["runs"].append({"beam": beam, "batch": bs, "seconds": dt, "sent_per_s": len(ids) / dt})
            print(f"  [{args.worker} t{args.threads}] beam {beam} batch {bs}: {len(ids) / dt:.2f} sent/s",
                  file=sys.stderr, flush=True)
    result["peak_rss_mb"] = _rss_mb()
    print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=100)
    ap.add_argument("--words", type=int, default=25)
    ap.add_argument("--out-len", type=int, default=40, help="forced output length in tokens (default 40)")
    ap.add_argument("--beams", default="1,4")
    ap.add_argument("--batches", default="1,8,32")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="transformers threads")
    ap.add_argument("--ct2-threads", default=None,
                    help="CTranslate2 intra_threads to try, e.g. 1,2 (default: --threads)")
    ap.add_argument("--compute-type", default="int8", help="CTranslate2 compute type (default int8)")
    ap.add_argument("--model-dir", help="where to build/keep the random model (default: a temp dir)")
    ap.add_argument("--worker", choices=["hf", "ct2"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.beams = [int(x) for x in str(args.beams).split(",")]
    args.batches = [int(x) for x in str(args.batches).split(",")]
    if args.worker:
        worker(args)
        return

    if args.model_dir:
        model_dir = Path(args.model_dir)
    else:
        model_dir = Path(tempfile.mkdtemp(prefix="mt_speed_")) / "opus-en-ru-random"
    t = time.perf_counter()
    build_model(model_dir)
    print(f"model: random opus-mt-en-ru architecture in {model_dir} ({time.perf_counter() - t:.0f} s to build)",
          file=sys.stderr)
    try:
        load = os.getloadavg()
    except OSError:
        load = (float("nan"),) * 3
    common = ["--model-dir", str(model_dir), "--sentences", str(args.sentences), "--words", str(args.words),
              "--out-len", str(args.out_len), "--beams", ",".join(map(str, args.beams)),
              "--batches", ",".join(map(str, args.batches)), "--compute-type", args.compute_type]
    results = []
    ct2_threads = [int(x) for x in (args.ct2_threads or str(args.threads)).split(",")]
    jobs = [("hf", args.threads)] + [("ct2", n) for n in ct2_threads]
    for backend, threads in jobs:
        cmd = [sys.executable, __file__, "--worker", backend, "--threads", str(threads), *common]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # progress lines go to our stderr
        if proc.returncode:
            raise SystemExit(f"{backend} worker failed")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    hf = results[0]
    print(f"\nMT speed, {args.sentences} sentences x ~{args.words} words, output fixed at {args.out_len} tokens; "
          f"{os.cpu_count()} CPUs, load average before the run {load[0]:.1f}")
    head = f"{'beam':>4} {'batch':>5} {'hf fp32 s/s':>12}" + "".join(
        f" {'ct2 ' + args.compute_type + ' t' + str(r['threads']) + ' s/s':>18} {'ratio':>6}" for r in results[1:])
    print(head)
    for i, run in enumerate(hf["runs"]):
        line = f"{run['beam']:>4} {run['batch']:>5} {run['sent_per_s']:>12.2f}"
        for r in results[1:]:
            c = r["runs"][i]
            line += f" {c['sent_per_s']:>18.2f} {c['sent_per_s'] / run['sent_per_s']:>5.2f}x"
        print(line)
    print(f"load time: hf {hf['load_s']:.1f} s; " + "; ".join(
        f"ct2 t{r['threads']} {r['load_s']:.1f} s" for r in results[1:]))
    print(f"peak RSS: hf {hf['peak_rss_mb']:.0f} MB; " + "; ".join(
        f"ct2 t{r['threads']} {r['peak_rss_mb']:.0f} MB "
        f"({r['peak_rss_mb'] / hf['peak_rss_mb']:.2f}x)" for r in results[1:]))
    size = lambda p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file())  # noqa: E731
    print(f"on disk: transformers {size(model_dir) - size(model_dir / 'ct2-int8'):,} bytes; "
          f"ct2 int8 {size(model_dir / 'ct2-int8'):,} bytes")


if __name__ == "__main__":
    main()
