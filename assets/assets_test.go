package assets

import (
	"bytes"
	"image"
	_ "image/png"
	"io/fs"
	"strings"
	"testing"
)

func TestIllust(t *testing.T) {
	for _, tc := range []struct {
		name  string
		load  func() ([]NamedFile, error)
		names []string
	}{
		{"train", IllustTrain, []string{"curry-rice-1f35b.png", "hamburger-1f354.png", "ramen-1f35c.png"}},
		{"unseen", IllustUnseen, []string{"bento-1f371.png", "oden-1f362.png", "pizza-1f355.png",
			"rice-ball-1f359.png", "spaghetti-1f35d.png", "sushi-1f363.png"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, err := tc.load()
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != len(tc.names) {
				t.Fatalf("got %d files, want %d", len(files), len(tc.names))
			}
			for i, f := range files {
				if f.Name != tc.names[i] {
					t.Errorf("file %d: name %q, want %q", i, f.Name, tc.names[i])
				}
				cfg, format, err := image.DecodeConfig(bytes.NewReader(f.Data))
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				if format != "png" || cfg.Width != 64 || cfg.Height != 64 {
					t.Errorf("%s: %s %d×%d, want png 64×64", f.Name, format, cfg.Width, cfg.Height)
				}
				// Fresh copies: scribbling on one must not change the next call's bytes.
				f.Data[0] = 0
			}
			again, _ := tc.load()
			if again[0].Data[0] != 0x89 {
				t.Error("returned bytes alias the embedded data")
			}
		})
	}
}

func TestIllustFS(t *testing.T) {
	fsys := Illust()
	for _, dir := range []string{"train", "unseen"} {
		m, err := fs.Glob(fsys, dir+"/*.png")
		if err != nil || len(m) == 0 {
			t.Errorf("%s: %v %v", dir, m, err)
		}
	}
	if !strings.Contains(string(IllustLicense()), "Apache License") ||
		!strings.Contains(string(IllustLicense()), "Version 2.0, January 2004") {
		t.Error("LICENSE is not the Apache License 2.0")
	}
}
