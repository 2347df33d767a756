#!/usr/bin/env bash
# Makes the held-out benchmark's CSVs (examples/data/{ionosphere,spam,dna,musk,breast-cancer,zoo,wdbc,digits}.csv)
# from the UCI data as R's mlbench and kernlab packages and scikit-learn ship them, so that their origin can be
# checked. Not needed to run anything: the CSVs are in the repository. Needs Debian's r-base-core, r-cran-mlbench and
# r-cran-kernlab (apt-get install), and downloads python3-sklearn's .deb for its data folder (nothing is installed).
#
#   bench/held-out-data.sh DIR      # writes the eight CSVs into DIR (which must exist and not hold them yet)
set -euo pipefail
out="$(cd "${1:?usage: bench/held-out-data.sh DIR}" && pwd)"
for name in ionosphere spam dna musk breast-cancer zoo wdbc digits; do  # never over a file, the shipped ones included
  [[ -e "$out/$name.csv" ]] && { echo "held-out-data: $out/$name.csv exists; name a folder without these files" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
Rscript - "$out" <<'R'
suppressMessages({ library(mlbench); library(kernlab) })
out_dir <- commandArgs(trailingOnly = TRUE)[1]
num <- function(x) if (is.factor(x)) as.numeric(as.character(x)) else as.numeric(x)
write_set <- function(df, label, name) {  # numeric features, the label last as `label`; rows with a gap dropped
  y <- df[[label]]; X <- df[, setdiff(names(df), label), drop = FALSE]
  X <- as.data.frame(lapply(X, num)); names(X) <- make.names(setdiff(names(df), label))
  keep <- complete.cases(X)
  X <- X[keep, , drop = FALSE]; X$label <- as.character(y[keep])
  write.csv(X, file.path(out_dir, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  cat(name, ":", nrow(X), "rows,", ncol(X) - 1, "features,", length(unique(X$label)), "labels,", sum(!keep), "rows dropped\n")
}
data(Ionosphere); write_set(Ionosphere, "Class", "ionosphere")
data(spam); write_set(spam, "type", "spam")
data(DNA); write_set(DNA, "Class", "dna")
data(musk); write_set(musk, "Class", "musk")
data(BreastCancer); write_set(BreastCancer[, -1], "Class", "breast-cancer")  # without the sample id
data(Zoo); z <- Zoo; z[] <- lapply(z, function(c) if (is.logical(c)) as.numeric(c) else c); write_set(z, "type", "zoo")
R
(cd "$work" && apt-get download python3-sklearn >/dev/null 2>&1 && dpkg-deb -x python3-sklearn_*.deb sk)
python3 - "$work/sk/usr/lib/python3/dist-packages/sklearn/datasets/data" "$out" <<'PY'
import gzip, sys
src, out = sys.argv[1], sys.argv[2]
rows = [l.strip().split(",") for l in gzip.open(src + "/digits.csv.gz", "rt") if l.strip()]
with open(out + "/digits.csv", "w") as f:
    f.write(",".join([f"pixel{i}" for i in range(64)] + ["label"]) + "\n")
    f.writelines(",".join(r[:64] + ["digit" + r[64]]) + "\n" for r in rows)
names = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave_points",
         "symmetry", "fractal_dimension"]
lines = open(src + "/breast_cancer.csv").read().strip().split("\n")[1:]  # its first line is a count, not a header
with open(out + "/wdbc.csv", "w") as f:
    f.write(",".join([f"{k}_{n}" for k in ("mean", "se", "worst") for n in names] + ["label"]) + "\n")
    f.writelines(",".join(r[:30] + [("malignant", "benign")[int(r[30])]]) + "\n" for r in (l.split(",") for l in lines))
print("digits :", len(rows), "rows; wdbc :", len(lines), "rows")
PY
