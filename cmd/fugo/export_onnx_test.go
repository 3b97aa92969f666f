package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"fugo/interop/onnx"
	pb "fugo/interop/onnx/onnxpb"
	"fugo/tensor"
	"fugo/zoo"
)

// 'fugo export onnx' writes every part of every model kind from a saved model directory:
// the file is the one onnx.Parts builds from the model in memory (the package's tests run
// those in ONNX Runtime), its input and output have the documented shapes, and the
// classifiers refuse an encoder or a decoder with a clear error.
func TestExportONNXEveryKind(t *testing.T) {
	rng := tensor.NewRNG(3)
	models := []zoo.Model{
		zoo.NewVAE(zoo.DefaultVAEConfig(), rng),
		zoo.NewSimple(rng),
		zoo.NewSparse(rng),
		zoo.NewDeep(rng),
		zoo.NewConvModel(rng),
		zoo.NewDenoise(rng),
		zoo.NewIllust(rng),
		zoo.NewSeq(zoo.SeqConfig{Timesteps: 7, Features: 5, Latent: 6}, rng),
		zoo.NewSpeaker(zoo.DefaultSpeakerConfig(50, 11, 4), rng),
		zoo.NewSpeakerBag(zoo.BagConfig{Vocab: 30, Classes: 3}, rng),
	}
	// Shapes of the input and output of each part, without the batch axis.
	shapes := map[string][3][]int{ // encoder in, code, decoder out
		"vae":     {{784}, {2}, {784}},
		"simple":  {{784}, {32}, {784}},
		"sparse":  {{784}, {32}, {784}},
		"deep":    {{784}, {32}, {784}},
		"conv":    {{28, 28, 1}, {4, 4, 8}, {28, 28, 1}},
		"denoise": {{28, 28, 1}, {7, 7, 32}, {28, 28, 1}},
		"illust":  {{64, 64, 3}, {8, 8, 8}, {64, 64, 3}},
		"seq":     {{7, 5}, {6}, {7, 5}},
	}
	classifiers := map[string][2][]int{"speaker": {{11}, {4}}, "speaker-bag": {{30}, {3}}}
	tmp := t.TempDir()
	for _, m := range models {
		dir := filepath.Join(tmp, m.Kind())
		if err := zoo.Save(dir, m, nil); err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{"encoder", "decoder", "all"} {
			t.Run(m.Kind()+" "+part, func(t *testing.T) {
				out := filepath.Join(tmp, m.Kind()+"_"+part+".onnx")
				code, stdout, stderr := runFugo(t, "export", "onnx", "--model", dir, "--part", part, out)
				cl, isClassifier := classifiers[m.Kind()]
				if isClassifier && part != "all" {
					if code != 1 || !strings.Contains(stderr, "--part all") {
						t.Fatalf("exit %d, stderr %q: want 1 and a pointer to --part all", code, stderr)
					}
					return
				}
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if !strings.Contains(stdout, "wrote "+out) {
					t.Errorf("stdout %q does not name the file", stdout)
				}
				got, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				g, err := onnx.Parts(m, part)
				if err != nil {
					t.Fatal(err)
				}
				var want bytes.Buffer
				if err := onnx.Write(&want, g); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want.Bytes()) {
					t.Error("the file differs from the export of the model in memory")
				}
				var mp pb.ModelProto
				if err := proto.Unmarshal(got, &mp); err != nil {
					t.Fatal(err)
				}
				var in, res []int
				if isClassifier {
					in, res = cl[0], cl[1]
				} else {
					s := shapes[m.Kind()]
					switch part {
					case "encoder":
						in, res = s[0], s[1]
					case "decoder":
						in, res = s[1], s[2]
					case "all":
						in, res = s[0], s[2]
					}
				}
				if gi, go_ := dims(mp.Graph.Input[0]), dims(mp.Graph.Output[0]); !slices.Equal(gi, in) || !slices.Equal(go_, res) {
					t.Errorf("input [N %v] output [N %v], want [N %v] and [N %v]", gi, go_, in, res)
				}
			})
		}
	}
}

// dims returns a value's shape after the symbolic batch axis.
func dims(v *pb.ValueInfoProto) []int {
	d := v.GetType().GetTensorType().GetShape().GetDim()
	if len(d) == 0 || d[0].GetDimParam() != "N" {
		return []int{-1}
	}
	var s []int
	for _, x := range d[1:] {
		s = append(s, int(x.GetDimValue()))
	}
	return s
}
