// Package interop exchanges trained weights with PyTorch: a PyTorch state_dict saved as
// safetensors loads into the matching fugo model, and a fugo model's weights are written
// as a state_dict PyTorch loads with load_state_dict. (ONNX export is in interop/onnx.)
//
// Layers are matched by name: the fugo layer "dense_h" (parameters "dense_h/kernel",
// "dense_h/bias") is the PyTorch module "dense_h" (tensors "dense_h.weight",
// "dense_h.bias"); a '/' inside a fugo layer name becomes '.'. A Names map overrides this
// per layer (fugo layer name → PyTorch module path, e.g. "dense_h" → "encoder.0").
//
// The layer kind is read from its parameters (names and ranks), and each kind converts
// as follows (fugo stores what Keras stores; PyTorch is on the right):
//
//	Dense     kernel [in, out]            = Linear.weight [out, in] transposed
//	          bias [out]                  = Linear.bias [out]
//	Conv2D    kernel [kh, kw, cin, cout]  : kernel[i, j, c, o] = Conv2d.weight[o, c, i, j]
//	          bias [cout]                 = Conv2d.bias
//	Conv1D    kernel [k, cin, cout]       : kernel[i, c, o] = Conv1d.weight[o, c, i]
//	          bias [cout]                 = Conv1d.bias
//	LSTM      kernel [F, 4U]              = LSTM.weight_ih_l0 [4U, F] transposed
//	          recurrent_kernel [U, 4U]    = LSTM.weight_hh_l0 [4U, U] transposed
//	          bias [4U]                   = bias_ih_l0 + bias_hh_l0
//	Embedding embeddings [V, D]           = Embedding.weight [V, D] (same layout)
//
// The LSTM gate blocks are in the same order on both sides: Keras' i, f, c, o is PyTorch's
// i, f, g, o (c and g are both the tanh candidate), so rows move only by the transpose.
// PyTorch adds two biases where Keras has one; loading sums them (one float32 rounding)
// and saving writes the bias as bias_ih_l0 with bias_hh_l0 zero, which computes the same
// gates. Only single-layer, unidirectional, batch_first-agnostic LSTM weights (suffix
// _l0) are mapped; PyTorch's LSTM takes [T, B, F] unless batch_first=True, which changes
// no weight.
//
// Convolutions must also agree on layout at run time: PyTorch is NCHW / NCL, fugo (like
// Keras) NHWC / NLC, so inputs and outputs are permuted, not weights beyond the table.
// Keras "same" padding equals PyTorch padding=k//2 for odd kernels at stride 1.
package interop

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"fugo/checkpoint"
	"fugo/nn"
)

// Names maps a fugo layer name to its PyTorch module path; layers not in the map keep
// their name with '/' replaced by '.'.
type Names map[string]string

func (n Names) module(layer string) string {
	if m, ok := n[layer]; ok {
		return m
	}
	return strings.ReplaceAll(layer, "/", ".")
}

// layer is one fugo layer's parameters, grouped by the name before the last '/'.
type layer struct {
	name   string
	params map[string]nn.Param // by weight name: "kernel", "bias", …
}

// Layer kinds, read from the parameters.
const (
	kindDense     = "Dense"
	kindConv1D    = "Conv1D"
	kindConv2D    = "Conv2D"
	kindLSTM      = "LSTM"
	kindEmbedding = "Embedding"
)

func (l *layer) kind() (string, error) {
	has := func(ws ...string) bool {
		if len(ws) != len(l.params) {
			return false
		}
		for _, w := range ws {
			if _, ok := l.params[w]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("kernel", "recurrent_kernel", "bias"):
		return kindLSTM, nil
	case has("embeddings"):
		return kindEmbedding, nil
	case has("kernel", "bias"):
		switch r := len(l.params["kernel"].Var.Value.Shape); r {
		case 2:
			return kindDense, nil
		case 3:
			return kindConv1D, nil
		case 4:
			return kindConv2D, nil
		}
	}
	names := make([]string, 0, len(l.params))
	for w, p := range l.params {
		names = append(names, fmt.Sprintf("%s %v", w, p.Var.Value.Shape))
	}
	sort.Strings(names)
	return "", fmt.Errorf("layer %q: no PyTorch conversion for parameters %s", l.name, strings.Join(names, ", "))
}

func groupLayers(ps []nn.Param) ([]*layer, error) {
	var ls []*layer
	byName := map[string]*layer{}
	for _, p := range ps {
		i := strings.LastIndex(p.Name, "/")
		if i <= 0 {
			return nil, fmt.Errorf("parameter %q is not named <layer>/<weight>", p.Name)
		}
		name, w := p.Name[:i], p.Name[i+1:]
		l := byName[name]
		if l == nil {
			l = &layer{name: name, params: map[string]nn.Param{}}
			byName[name] = l
			ls = append(ls, l)
		}
		l.params[w] = p
	}
	return ls, nil
}

// torchTensor is one tensor of the state dict a fugo parameter comes from or goes to.
type torchTensor struct {
	name  string
	shape []int
}

// plan lists, for one layer, the PyTorch tensors involved and how to convert.
func plan(l *layer, module string) (string, []torchTensor, error) {
	kind, err := l.kind()
	if err != nil {
		return "", nil, err
	}
	k := l.params["kernel"].Var
	var ts []torchTensor
	switch kind {
	case kindDense:
		s := k.Value.Shape
		ts = []torchTensor{{module + ".weight", []int{s[1], s[0]}}, {module + ".bias", []int{s[1]}}}
	case kindConv2D:
		s := k.Value.Shape
		ts = []torchTensor{{module + ".weight", []int{s[3], s[2], s[0], s[1]}}, {module + ".bias", []int{s[3]}}}
	case kindConv1D:
		s := k.Value.Shape
		ts = []torchTensor{{module + ".weight", []int{s[2], s[1], s[0]}}, {module + ".bias", []int{s[2]}}}
	case kindLSTM:
		s, r := k.Value.Shape, l.params["recurrent_kernel"].Var.Value.Shape
		ts = []torchTensor{
			{module + ".weight_ih_l0", []int{s[1], s[0]}},
			{module + ".weight_hh_l0", []int{r[1], r[0]}},
			{module + ".bias_ih_l0", []int{s[1]}},
			{module + ".bias_hh_l0", []int{s[1]}},
		}
	case kindEmbedding:
		ts = []torchTensor{{module + ".weight", slices.Clone(l.params["embeddings"].Var.Value.Shape)}}
	}
	return kind, ts, nil
}

// FromTorch converts the PyTorch state dict sd into fugo tensors for the parameters ps
// (named and shaped as ps, in ps's order), without changing ps. Every parameter must be
// found with the expected shape and every tensor of sd used; otherwise the error (a
// *checkpoint.MismatchError inside) lists every problem with PyTorch's names and shapes.
func FromTorch(ps []nn.Param, sd []checkpoint.Tensor, names Names) ([]checkpoint.Tensor, error) {
	ls, err := groupLayers(ps)
	if err != nil {
		return nil, err
	}
	var want []checkpoint.Tensor
	plans := make([][]torchTensor, len(ls))
	kinds := make([]string, len(ls))
	for i, l := range ls {
		kinds[i], plans[i], err = plan(l, names.module(l.name))
		if err != nil {
			return nil, err
		}
		for _, t := range plans[i] {
			want = append(want, checkpoint.Tensor{Name: t.name, Shape: t.shape})
		}
	}
	if err := checkpoint.Match(want, sd); err != nil {
		return nil, fmt.Errorf("PyTorch state dict: %w", err)
	}
	byName := make(map[string]checkpoint.Tensor, len(sd))
	for _, t := range sd {
		byName[t.Name] = t
	}
	var out []checkpoint.Tensor
	add := func(p nn.Param, data []float32) {
		out = append(out, checkpoint.Tensor{Name: p.Name, Shape: slices.Clone(p.Var.Value.Shape), Data: data})
	}
	for i, l := range ls {
		get := func(j int) []float32 { return byName[plans[i][j].name].Data }
		switch kinds[i] {
		case kindDense:
			add(l.params["kernel"], transpose(get(0), plans[i][0].shape[0], plans[i][0].shape[1]))
			add(l.params["bias"], slices.Clone(get(1)))
		case kindConv2D:
			s := plans[i][0].shape // [cout, cin, kh, kw]
			add(l.params["kernel"], permute4(get(0), s, [4]int{2, 3, 1, 0}))
			add(l.params["bias"], slices.Clone(get(1)))
		case kindConv1D:
			s := plans[i][0].shape // [cout, cin, k]
			add(l.params["kernel"], permute4(get(0), []int{s[0], s[1], s[2], 1}, [4]int{2, 1, 0, 3}))
			add(l.params["bias"], slices.Clone(get(1)))
		case kindLSTM:
			ih, hh := plans[i][0].shape, plans[i][1].shape
			add(l.params["kernel"], transpose(get(0), ih[0], ih[1]))
			add(l.params["recurrent_kernel"], transpose(get(1), hh[0], hh[1]))
			b := slices.Clone(get(2))
			for j, v := range get(3) {
				b[j] += v
			}
			add(l.params["bias"], b)
		case kindEmbedding:
			add(l.params["embeddings"], slices.Clone(get(0)))
		}
	}
	// Back in ps's order.
	pos := make(map[string]int, len(ps))
	for i, p := range ps {
		pos[p.Name] = i
	}
	sort.Slice(out, func(a, b int) bool { return pos[out[a].Name] < pos[out[b].Name] })
	return out, nil
}

// LoadTorch converts the PyTorch state dict sd (FromTorch) and copies it into ps. On
// error ps is unchanged.
func LoadTorch(ps []nn.Param, sd []checkpoint.Tensor, names Names) error {
	ts, err := FromTorch(ps, sd, names)
	if err != nil {
		return err
	}
	for i, p := range ps {
		copy(p.Var.Value.Data, ts[i].Data)
	}
	return nil
}

// ToTorch converts the parameters ps into a PyTorch state dict (the inverse of FromTorch;
// an LSTM's bias goes to bias_ih_l0 and bias_hh_l0 is zero). Save it with
// checkpoint.SaveFile and load it in Python with safetensors.torch.load_file and
// module.load_state_dict.
func ToTorch(ps []nn.Param, names Names) ([]checkpoint.Tensor, error) {
	ls, err := groupLayers(ps)
	if err != nil {
		return nil, err
	}
	var out []checkpoint.Tensor
	seen := map[string]string{}
	for _, l := range ls {
		kind, plan, err := plan(l, names.module(l.name))
		if err != nil {
			return nil, err
		}
		for _, t := range plan {
			if other, dup := seen[t.name]; dup {
				return nil, fmt.Errorf("layers %q and %q both map to PyTorch tensor %q", other, l.name, t.name)
			}
			seen[t.name] = l.name
		}
		put := func(j int, data []float32) {
			out = append(out, checkpoint.Tensor{Name: plan[j].name, Shape: plan[j].shape, Data: data})
		}
		k := l.params["kernel"].Var
		switch kind {
		case kindDense:
			s := k.Value.Shape
			put(0, transpose(k.Value.Data, s[0], s[1]))
			put(1, slices.Clone(l.params["bias"].Var.Value.Data))
		case kindConv2D:
			put(0, permute4(k.Value.Data, k.Value.Shape, [4]int{3, 2, 0, 1}))
			put(1, slices.Clone(l.params["bias"].Var.Value.Data))
		case kindConv1D:
			s := k.Value.Shape // [k, cin, cout]
			put(0, permute4(k.Value.Data, []int{s[0], s[1], s[2], 1}, [4]int{2, 1, 0, 3}))
			put(1, slices.Clone(l.params["bias"].Var.Value.Data))
		case kindLSTM:
			r := l.params["recurrent_kernel"].Var
			put(0, transpose(k.Value.Data, k.Value.Shape[0], k.Value.Shape[1]))
			put(1, transpose(r.Value.Data, r.Value.Shape[0], r.Value.Shape[1]))
			put(2, slices.Clone(l.params["bias"].Var.Value.Data))
			put(3, make([]float32, len(l.params["bias"].Var.Value.Data)))
		case kindEmbedding:
			put(0, slices.Clone(l.params["embeddings"].Var.Value.Data))
		}
	}
	return out, nil
}

// transpose returns the [c, r] transpose of a row-major [r, c] matrix.
func transpose(a []float32, r, c int) []float32 {
	t := make([]float32, len(a))
	for i := range r {
		for j := range c {
			t[j*r+i] = a[i*c+j]
		}
	}
	return t
}

// permute4 returns the rank-4 array a of shape s with its axes reordered: output axis k
// is input axis perm[k] (numpy.transpose(a, perm)).
func permute4(a []float32, s []int, perm [4]int) []float32 {
	var stride [4]int
	stride[3] = 1
	for k := 2; k >= 0; k-- {
		stride[k] = stride[k+1] * s[k+1]
	}
	os := [4]int{s[perm[0]], s[perm[1]], s[perm[2]], s[perm[3]]}
	out := make([]float32, len(a))
	n := 0
	for i0 := range os[0] {
		for i1 := range os[1] {
			for i2 := range os[2] {
				for i3 := range os[3] {
					out[n] = a[i0*stride[perm[0]]+i1*stride[perm[1]]+i2*stride[perm[2]]+i3*stride[perm[3]]]
					n++
				}
			}
		}
	}
	return out
}
