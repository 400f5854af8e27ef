"""sparkleap benchmarks: every figure the issues name, measured next to its peers in one run.

`python -m bench.run --quick|--full` writes bench/results.json, bench/results.png and the table in
bench/README.md. One module per benchmark group (bundle, preprocess, containers, pipeline, batch);
peers (PySpark, scikit-learn, a bare echo chain, the pyarrow+xgboost floor) live in bench/peers.py.
"""
