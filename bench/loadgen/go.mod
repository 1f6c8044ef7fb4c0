module kring.example/bench/loadgen

go 1.22
