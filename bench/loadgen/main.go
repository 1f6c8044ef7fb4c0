// Command loadgen offers HTTP requests at a constant rate, open loop, for the Python
// benchmarks in bench/: a Python client (httpx) costs more CPU per request than the services
// it measures and, on the same cores, cannot offer much above 60 requests/s. This one costs a
// few microseconds a request, so what the benchmark measures past saturation is the services.
//
// It reads the requests from stdin, one JSON object a line ({"method", "url", "headers"}),
// sends request i at start + i/rate whatever happened to the earlier ones, and writes one JSON
// line per request to stdout as it ends: its index, status (0: no answer in time) and when it
// was due and ended, in Unix nanoseconds. A request's latency counts from when it was due, so
// time spent waiting for a free connection is in it.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"
)

type request struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

type outcome struct {
	Index  int   `json:"i"`
	Status int   `json:"status"`
	DueNs  int64 `json:"due_ns"`
	EndNs  int64 `json:"end_ns"`
}

func main() {
	rate := flag.Float64("rate", 50, "requests per second")
	connections := flag.Int("connections", 512, "at most this many connections per host")
	timeout := flag.Duration("timeout", 10*time.Second, "a request not answered by then fails")
	flag.Parse()

	requests, err := readRequests(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	client := &http.Client{
		Timeout: *timeout,
		Transport: &http.Transport{
			MaxConnsPerHost:     *connections,
			MaxIdleConnsPerHost: *connections,
			// Below uvicorn's 5 s keep-alive: no request goes out on a closing connection.
			IdleConnTimeout: 2 * time.Second,
		},
	}
	results := make(chan outcome, 1024)
	var sending sync.WaitGroup
	start := time.Now()
	go func() {
		for i, r := range requests {
			due := start.Add(time.Duration(float64(i) / *rate * float64(time.Second)))
			time.Sleep(time.Until(due))
			sending.Add(1)
			go func(i int, r request, due time.Time) {
				defer sending.Done()
				results <- outcome{i, send(client, r), due.UnixNano(), time.Now().UnixNano()}
			}(i, r, due)
		}
		sending.Wait()
		close(results)
	}()
	out := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(out)
	for result := range results {
		_ = encoder.Encode(result)
		if len(results) == 0 {
			_ = out.Flush() // the reader sees answers as they come, not in bursts
		}
	}
	_ = out.Flush()
}

func readRequests(input io.Reader) ([]request, error) {
	var requests []request
	scanner := bufio.NewScanner(input)
	scanner.Buffer(make([]byte, 64*1024), 1024*1024)
	for scanner.Scan() {
		var r request
		if err := json.Unmarshal(scanner.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("request %d: %w", len(requests), err)
		}
		requests = append(requests, r)
	}
	return requests, scanner.Err()
}

// send makes one request and gives its status, 0 when it got no answer.
func send(client *http.Client, r request) int {
	req, err := http.NewRequest(r.Method, r.URL, nil)
	if err != nil {
		return 0
	}
	for name, value := range r.Headers {
		req.Header.Set(name, value)
	}
	response, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer response.Body.Close()
	_, _ = io.Copy(io.Discard, response.Body) // read to the end: the connection is reused
	return response.StatusCode
}
