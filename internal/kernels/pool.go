package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// One worker pool serves every parallel kernel (Gemm, GemmPackedB, the elementwise and
// convolution helpers, Im2col). A call cut into parts runs part 0 on the calling goroutine
// and hands parts 1…parts−1 to the pool's workers, persistent goroutines each with its own
// packing workspace. Parts are leaves: no part submits work to the pool, so a worker never
// waits for another and the pool cannot deadlock.
//
// A training step issues its kernels a few microseconds to a few hundred microseconds apart,
// and waking a parked goroutine costs tens of microseconds on a 2-core machine. So a worker
// that finishes a part keeps polling the queue for spinFor (yielding the processor between
// polls) before it parks. With one pool there is one such poller per spare processor; with
// a pool per kind of kernel there were five, and they took the processors from the caller.

// parted is a kernel call cut into parts; part t writes only its own share of the output.
type parted interface {
	// runPart computes part t, using ws as the running goroutine's scratch.
	runPart(t int, ws *workspace)
}

type poolTask struct {
	job  parted
	part int
	done *partsDone
}

var workerPool struct {
	mu      sync.Mutex
	workers int
	tasks   chan poolTask
}

func init() { workerPool.tasks = make(chan poolTask, 256) }

// spinFor is how long an idle worker polls for the next part before it parks. Measured on
// the VAE training step (2 cores): 50 µs left the big products of the step waiting 60–90 µs
// for a parked worker (step 1.99 ms); 500 µs removed those waits (1.75 ms); 2 ms gave no
// more. Polling yields between polls, so other goroutines still run.
const spinFor = 500 * time.Microsecond

// runParts runs job's parts 0…parts−1, part 0 on the caller with a workspace borrowed from
// the free list, and returns when all are done. done is the call's own counter, idle (zero)
// on entry.
func runParts(job parted, parts int, done *partsDone) {
	if parts > 1 {
		ensureWorkers(parts - 1)
		done.add(parts - 1)
		for t := 1; t < parts; t++ {
			workerPool.tasks <- poolTask{job, t, done}
		}
	}
	ws := getWorkspace()
	job.runPart(0, ws)
	putWorkspace(ws)
	if parts > 1 {
		done.wait()
	}
}

// partsDone counts a call's parts still running on the pool.
type partsDone struct {
	wg      sync.WaitGroup
	pending atomic.Int32
}

func (d *partsDone) add(n int) { d.pending.Add(int32(n)); d.wg.Add(n) }
func (d *partsDone) done()     { d.pending.Add(-1); d.wg.Done() }

// wait returns when every part has finished. The parts are of equal size, so the others
// usually end within microseconds of the caller's: wait polls for up to callerSpin before it
// parks, which saves waking a parked goroutine (VAE step, 2 cores: 1.69–1.73 ms parking at
// once, 1.50 polling 20 µs, 1.47–1.51 polling 50–500 µs). When another process holds the
// other core, the polling costs nothing measurable (4.0 ms with and without).
func (d *partsDone) wait() {
	deadline := time.Now().Add(callerSpin)
	for d.pending.Load() > 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	d.wg.Wait()
}

// callerSpin is how long a caller polls for its call's other parts before it parks.
const callerSpin = 50 * time.Microsecond

// ensureWorkers starts pool workers until there are at least n.
func ensureWorkers(n int) {
	workerPool.mu.Lock()
	for workerPool.workers < n {
		workerPool.workers++
		go worker()
	}
	workerPool.mu.Unlock()
}

func worker() {
	ws := new(workspace)
	for {
		t := nextTask()
		t.job.runPart(t.part, ws)
		t.done.done()
	}
}

// nextTask polls the queue for up to spinFor, yielding the processor between polls, then
// blocks on it.
func nextTask() poolTask {
	deadline := time.Now().Add(spinFor)
	for time.Now().Before(deadline) {
		select {
		case t := <-workerPool.tasks:
			return t
		default:
		}
		runtime.Gosched()
	}
	return <-workerPool.tasks
}

// workspace holds one goroutine's packing buffers; they grow to the largest call seen.
type workspace struct {
	a, b []float32
	tile [MR * NR]float32
}

func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n]
}

// freeWorkspaces lends workspaces to callers (a channel survives garbage collections,
// unlike sync.Pool).
var freeWorkspaces = make(chan *workspace, 64)

func getWorkspace() *workspace {
	select {
	case ws := <-freeWorkspaces:
		return ws
	default:
		return new(workspace)
	}
}

func putWorkspace(ws *workspace) {
	select {
	case freeWorkspaces <- ws:
	default:
	}
}
