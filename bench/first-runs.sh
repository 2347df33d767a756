#!/usr/bin/env bash
# First runs: a new user's `moe init FILE.csv --label COLUMN && moe evaluate FILE.yaml` on real data sets that no
# default was chosen on, as R's packages ship them (docs/benchmark.md, "First runs"). Writes each CSV with Rscript's
# write.csv (or WRITER=write.csv2), runs init on it (its summary kept beside it), evaluates the config init wrote as it is (5 repeats;
# REPEAT=20 for 20), and prints the table.
#
# Two batches:
#   the first (default): twelve sets from MASS, rpart, survival, kernlab and datasets, written with
#     write.csv(row.names = FALSE); on Debian: apt-get install r-base-core r-cran-mass r-cran-rpart r-cran-survival
#     r-cran-kernlab
#   more: thirteen sets from carData, modeldata and palmerpenguins, written with write.csv's defaults (row names as a
#     first column without a name, as R users write them); on Debian: apt-get install r-base-core r-cran-cardata
#     r-cran-modeldata r-cran-palmerpenguins
#
#   bench/first-runs.sh                  # the first batch, into a new temporary folder
#   bench/first-runs.sh more             # the second batch
#   OUT=results bench/first-runs.sh      # into ./results (must not exist yet): data/ (CSVs, configs, init's
#                                        # summaries) and reports/ (each run's table, JSON report and seconds)
#   WRITER=write.csv2 bench/first-runs.sh more   # written as R writes them where the comma is the decimal mark
#                                        # (';' between fields, decimal commas); moe compare against write.csv's reports
set -euo pipefail
cd "$(dirname "$0")/.."
batch="${1:-first}"
case "$batch" in
  first) packages="MASS rpart survival kernlab" ;;
  more) packages="carData modeldata palmerpenguins" ;;
  *) echo "first-runs: unknown batch '$batch' (first or more)" >&2; exit 2 ;;
esac
writer="${WRITER:-write.csv}"
case "$writer" in
  write.csv|write.csv2) ;;
  *) echo "first-runs: WRITER is write.csv or write.csv2, not '$writer'" >&2; exit 2 ;;
esac
command -v Rscript >/dev/null || { echo "first-runs: needs R's Rscript, with $packages" >&2; exit 2; }
Rscript -e 'for (p in strsplit(commandArgs(trailingOnly = TRUE)[1], " ")[[1]]) if (!requireNamespace(p, quietly = TRUE)) {
  message("first-runs: needs the R package ", p, " (install.packages(\"", p, "\"), or Debian r-cran-", tolower(p), ")"); quit(status = 2) }' \
  "$packages" || exit 2
out="${OUT:-$(mktemp -d -t moe-first-runs.XXXXXX)}"
if [[ -n "${OUT:-}" ]]; then
  [[ -e "$out" ]] && { echo "first-runs: $out exists; name a new folder" >&2; exit 2; }
  mkdir -p "$out"
fi
mkdir -p "$out/data"
out="$(cd "$out" && pwd)"

# Each set: its name, the label column (named with --label: in most of them it is not the last column).
if [[ "$batch" == more ]]; then
  sets=(scat:Species ad_data:Class pd_speech:class penguins_raw:Species TitanicSurvival:survived BEPS:vote
        attrition:Attrition Chile:vote cells:class hpc_data:class credit_data:Status mlc_churn:churn Arrests:released)
  Rscript - "$out/data" "$writer" <<'R'
suppressMessages({ library(carData); library(modeldata); library(palmerpenguins) })
out <- commandArgs(trailingOnly = TRUE)[1]
write <- match.fun(commandArgs(trailingOnly = TRUE)[2])
w <- function(d, name) {  # write.csv's defaults: row names first, under no name; strings quoted; NA
  write(d, file.path(out, paste0(name, ".csv")))
  cat(sprintf("first-runs: %-15s %5d rows %3d columns\n", name, nrow(d), ncol(d)))
}
data(scat, ad_data, pd_speech, attrition, cells, hpc_data, credit_data, mlc_churn, package = "modeldata")
w(scat, "scat")                       # carnivore scat: species from DNA, morphometrics
w(ad_data, "ad_data")                 # Alzheimer's disease: impaired or not, 130 proteins and a genotype
w(pd_speech, "pd_speech")             # Parkinson's disease from speech, 752 features
w(penguins_raw, "penguins_raw")       # Palmer penguins as recorded: dates, comments, IDs
w(TitanicSurvival, "TitanicSurvival") # passengers' names as row names
w(BEPS, "BEPS")                       # British election panel: vote
w(attrition, "attrition")             # IBM's employee attrition
w(Chile, "Chile")                     # 1988 Chilean plebiscite: vote, NA in 168 rows
w(cells, "cells")                     # cell segmentation quality (with its own Train/Test column, case)
w(hpc_data, "hpc_data")               # compute jobs: run-time class
w(credit_data, "credit_data")         # credit scoring: status
w(mlc_churn, "mlc_churn")             # telecom churn
w(Arrests, "Arrests")                 # Toronto arrests for marijuana possession: released
R
else
sets=(survey:Exer cars93:Type birthwt:low crabs:sp aids2:status bacteria:y kyphosis:Kyphosis car90:Type pbc:status
      income:INCOME infert:case chickwts:feed)
Rscript - "$out/data" "$writer" <<'R'
suppressMessages({ library(MASS); library(rpart); library(survival); library(kernlab) })
out <- commandArgs(trailingOnly = TRUE)[1]
write <- match.fun(commandArgs(trailingOnly = TRUE)[2])
w <- function(d, name) {
  write(d, file.path(out, paste0(name, ".csv")), row.names = FALSE)
  cat(sprintf("first-runs: %-8s %5d rows %3d columns\n", name, nrow(d), ncol(d)))
}
w(MASS::survey, "survey")                                         # students' survey, Adelaide
w(MASS::Cars93, "cars93")                                         # 1993 car models
w(MASS::birthwt[, setdiff(names(MASS::birthwt), "bwt")], "birthwt")  # low birth weight, without the weight itself
w(MASS::crabs, "crabs")                                           # Leptograpsus crabs: species
w(MASS::Aids2, "aids2")                                           # Australian AIDS survival: status at the end
w(MASS::bacteria, "bacteria")                                     # H. influenzae in children, repeated per child
w(rpart::kyphosis, "kyphosis")                                    # kyphosis after surgery
w(cbind(name = rownames(rpart::car90), rpart::car90), "car90")    # 1990 car models, their names as a column
w(survival::pbc, "pbc")                                           # Mayo primary biliary cirrhosis: status
data(income, package = "kernlab"); w(income, "income")            # household income survey, San Francisco
w(datasets::infert, "infert")                                     # infertility after abortion, matched cases
w(datasets::chickwts, "chickwts")                                 # chick weights by feed
R
fi
./moe --version >/dev/null  # builds once, before anything is timed
configs=()
for set in "${sets[@]}"; do
  name="${set%%:*}" label="${set#*:}"
  ./moe init "$out/data/$name.csv" --label "$label" -o "$out/data/$name.yaml" > "$out/data/$name.init.txt"
  sed "s|$out/data/||" "$out/data/$name.init.txt"
  configs+=("$out/data/$name.yaml")
done
OUT="$out/reports" bench/benchmark.sh "${configs[@]}"
