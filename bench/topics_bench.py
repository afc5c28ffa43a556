"""Topic tagging speed: retagging the 1,000,000-passage corpus, and tagging's share of
ingest.

    .venv/bin/python bench/search_corpus.py --passages 1000000 --database postgres --fresh
    .venv/bin/python bench/topics_bench.py retag --database postgres
    .venv/bin/python bench/topics_bench.py ingest --count 400 --database postgres

`retag` works on the database search_corpus.py keeps. First, as caseworkers would, it
decides on suggestions of the three core topics (confirms 300 and rejects 100 of each,
spread over the library, through `tag_decide`) and trains their classifiers
(`topic_train`), once: a second run finds them. Then, on the same sample of bilag
(--sample passages, whole bilag, read once per batch), it times the tagging alone three
ways interleaved batch by batch: the lexicons with each passage read alone (the reading
before context entries), the lexicons with context (each bilag in order, ~ entries), and
context plus the learned classifiers, so the three compare in one run. Last it times
`retag()` over the whole library, writes included (the issue's target: 1,000,000
passages in at most 10 minutes), unless --no-full.

`ingest` ingests --count generated bilag into a fresh database through `bilag_ingest`
with the seeded topics and classifiers trained on decisions about the first half, and
times the second half: the whole ingest and, inside it, `tag_new_bilag` (a timing
wrapper on the name the ingest service calls). Prints tagging's share of the rest of
ingest (the issue's target: at most 20 % more). --no-learned skips the decisions and
classifiers; so the same command also runs on a checkout from before this benchmark's
topics work (copy the file there) for an old-against-new figure.
"""

import argparse
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import corpus, dbsetup  # noqa: E402
from bench.searchcorpus import database  # noqa: E402

CORE = ("refugee-camps", "foreign-fighters", "civilian-casualties")


def decide_and_train(confirm: int, reject: int, seed: int = 1) -> str:
    """Caseworkers' decisions on each core topic's suggestions, then its classifier,
    trained once at the end (no retraining every few decisions meanwhile, and the
    search index follows in batches: a bulk of decisions, not the cost of one)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from library.models import PassageTopic, Topic, TopicClassifier
    from library.search import index as search_index
    from library.topics.services import tag_decide, topic_train

    settings.BAGGRUND_TOPIC_RETRAIN_EVERY = 10**9
    settings.BAGGRUND_TOPIC_LEARN_MIN_DECISIONS = 10**9
    settings.BAGGRUND_TOPIC_JOBS_IN_BACKGROUND = False

    user, _ = get_user_model().objects.get_or_create(username="bench-caseworker")
    rng = random.Random(seed)
    lines = []
    for slug in CORE:
        topic = Topic.objects.get(slug=slug)
        if TopicClassifier.objects.filter(topic=topic).exists():
            lines.append(f"{slug}: classifier kept from an earlier run")
            continue
        ids = list(
            PassageTopic.objects.filter(topic=topic, state="suggested").values_list("id", flat=True)
        )
        chosen = rng.sample(ids, min(len(ids), confirm + reject))
        started = time.perf_counter()
        with search_index.batched():
            for i, tag_id in enumerate(chosen):
                tag = PassageTopic.objects.get(pk=tag_id)
                tag_decide(tag=tag, state="confirmed" if i < confirm else "rejected", user=user)
        decided = time.perf_counter() - started
        started = time.perf_counter()
        settings.BAGGRUND_TOPIC_LEARN_MIN_DECISIONS = 20
        trained = topic_train(topic=topic)
        settings.BAGGRUND_TOPIC_LEARN_MIN_DECISIONS = 10**9
        lines.append(
            f"{slug}: {len(chosen)} decisions in {decided:.1f} s, trained in "
            f"{time.perf_counter() - started:.1f} s "
            f"({trained.decisions if trained else 0} decisions)"
        )
    return "\n".join(lines)


def sample_rows(passages: int, seed: int = 1) -> list[list[tuple]]:
    """Whole bilag holding about `passages` content passages, in batches of ~5,000."""
    from django.db.models import Count

    from library.models import Passage

    counts = list(
        Passage.objects.filter(boilerplate=False)
        .order_by("bilag_id")
        .values_list("bilag_id")
        .annotate(n=Count("id"))
    )
    rng = random.Random(seed)
    rng.shuffle(counts)
    chosen, total = [], 0
    for bilag_id, n in counts:
        if total >= passages:
            break
        chosen.append(bilag_id)
        total += n
    chosen.sort()
    batches = [chosen[i : i + 185] for i in range(0, len(chosen), 185)]  # ~5,000 passages
    rows = []
    for ids in batches:
        rows.append(
            list(
                Passage.objects.filter(bilag_id__in=ids, boilerplate=False)
                .order_by("bilag_id", "ordinal")
                .values_list("id", "ordinal", "text", "language", "bilag_id")
            )
        )
    return rows


def time_variants(batches) -> dict[str, float]:
    import itertools

    from library.topics import services
    from library.topics.learned import learned_models
    from library.topics.matching import compiled_topics, tag_passages

    topics = compiled_topics()
    models = learned_models()

    def alone(rows):
        for row in rows:
            tag_passages([row[1:4]], topics, window=-1)

    def context(rows):
        for _b, group in itertools.groupby(rows, key=lambda r: r[4]):
            tag_passages([r[1:4] for r in group], topics)

    def learned(rows):
        services._suggestions(rows, topics, models)

    seconds = {"lexicon, passage alone": 0.0, "lexicon + context": 0.0, "+ learned": 0.0}
    for rows in batches:
        for name, run in zip(seconds, (alone, context, learned), strict=True):
            started = time.perf_counter()
            run(rows)
            seconds[name] += time.perf_counter() - started
    return seconds


def retag_bench(args) -> None:
    database.open_database(args.database)
    from django.db import connection

    from library.models import Passage, PassageTopic

    total = Passage.objects.filter(boilerplate=False).count()
    print(f"database   {args.database} ({connection.vendor}), {total:,} content passages")
    if not PassageTopic.objects.exists():  # a freshly loaded corpus: tag it first
        full_retag(args, "first retag (no tags yet)")
    print(decide_and_train(args.confirm, args.reject))
    batches = sample_rows(args.sample)
    n = sum(len(b) for b in batches)
    seconds = time_variants(batches)
    print(f"\ntagging alone, {n:,} passages (whole bilag), interleaved by batch:")
    base = seconds["lexicon, passage alone"]
    for name, s in seconds.items():
        print(f"  {name:<24} {s:6.1f} s  {n / s:8,.0f} passages/s  {s / base:4.2f}×")
    if not args.no_full:
        full_retag(args, "retag() whole library, learned classifiers included")


def full_retag(args, what: str) -> None:
    from library.search import index as search_index
    from library.topics.services import retag

    started = time.perf_counter()
    with search_index.batched():
        result = retag(progress=args.progress)
    s = time.perf_counter() - started
    print(
        f"\n{what}: {result.passages:,} passages in {s:.0f} s "
        f"({result.passages / s:,.0f} passages/s; target 1,000,000 in 600 s): "
        f"added {result.added:,}, updated {result.updated:,}, removed {result.removed:,}, "
        f"kept {result.kept_human:,} human decisions"
    )


def ingest_bench(args) -> None:
    workspace = dbsetup.prepare(args.database, "bench_topics_ingest")
    try:
        from library.ingest import services as ingest_services
        from library.ingest.services import bilag_ingest
        from library.models import Passage

        files = corpus.generate(args.count, seed=args.seed)
        half = len(files) // 2
        for generated in files[:half]:
            bilag_ingest(name=generated.name, data=generated.data, metadata=generated.manifest)
        if not args.no_learned:
            print(decide_and_train(args.confirm, args.reject))
        tagging = [0.0]
        original = ingest_services.tag_new_bilag

        def timed(bilag):
            started = time.perf_counter()
            try:
                return original(bilag)
            finally:
                tagging[0] += time.perf_counter() - started

        ingest_services.tag_new_bilag = timed
        before = Passage.objects.count()
        started = time.perf_counter()
        for generated in files[half:]:
            bilag_ingest(name=generated.name, data=generated.data, metadata=generated.manifest)
        seconds = time.perf_counter() - started
        ingest_services.tag_new_bilag = original
        passages = Passage.objects.count() - before
        rest = seconds - tagging[0]
        print(
            f"\n{args.database}: {len(files) - half} bilag, {passages:,} passages in "
            f"{seconds:.1f} s; tag_new_bilag {tagging[0]:.1f} s, the rest {rest:.1f} s: "
            f"tagging adds {100 * tagging[0] / rest:.0f} % (target ≤ 20 %)"
        )
    finally:
        workspace.cleanup("bench_topics_ingest")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    retag_parser = sub.add_parser("retag", help="retag the kept 1M-passage corpus")
    retag_parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    retag_parser.add_argument("--sample", type=int, default=100_000, help="passages to time")
    retag_parser.add_argument("--no-full", action="store_true", help="skip the full retag()")
    retag_parser.add_argument("--progress", action="store_true")
    ingest_parser = sub.add_parser("ingest", help="tagging's share of ingest")
    ingest_parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    ingest_parser.add_argument("--count", type=int, default=400)
    ingest_parser.add_argument("--seed", type=int, default=1)
    ingest_parser.add_argument(
        "--no-learned", action="store_true", help="no decisions, no classifiers (lexicons only)"
    )
    for p in (retag_parser, ingest_parser):
        p.add_argument("--confirm", type=int, default=300, help="confirmed per core topic")
        p.add_argument("--reject", type=int, default=100, help="rejected per core topic")
    args = parser.parse_args()
    print(f"machine    {platform.machine()}, {platform.python_version()}")
    if args.what == "retag":
        retag_bench(args)
    else:
        ingest_bench(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
