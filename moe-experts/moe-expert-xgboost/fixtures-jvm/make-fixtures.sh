#!/bin/sh
# Writes the xgboost provider's fixtures of XGBoost 2.x and 3.x (xgbMAJOR.MINOR-*.json, .ubj, .expected.csv in
# src/test/resources/xgboost/) with xgboost4j from Maven Central: no Python. Run from anywhere:
#   moe-experts/moe-expert-xgboost/fixtures-jvm/make-fixtures.sh [VERSION ...]     (default: 2.1.4 3.0.4 3.4.0)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
fixtures="$here/../src/test/resources/xgboost"
versions=${*:-2.1.4 3.0.4 3.4.0}
cd "$here"
for v in $versions; do
  echo "== xgboost4j $v"
  rm -rf "target/classes" "target/fixtures-$v"
  mvn -B -q compile dependency:build-classpath -Dxgboost.version="$v" -Dmdep.outputFile="target/classpath-$v.txt"
  java -cp "target/classes:$(cat "target/classpath-$v.txt")" MakeFixtures "$root/examples/data" "target/fixtures-$v"
  cp "target/fixtures-$v"/* "$fixtures/"
done
