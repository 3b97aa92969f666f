// Package assets holds the small data files fugo ships inside its binary, so that the
// experiments of the origin posts run from any directory without downloads.
//
// The illustrations are Noto Emoji images (Copyright Google Inc., Apache License 2.0;
// see assets/illust/LICENSE and the NOTICE file at the repository root), taken from
// package/img/google/64/ of the npm package emoji-datasource-google 16.0.0. Each is a
// 64×64 8-bit RGBA PNG with a transparent background (composite it onto white, as
// fugo/data/images does).
//
//   - illust/train: the three training pictures of the second origin post, in the post's
//     order (curry rice, hamburger, ramen).
//   - illust/unseen: six other foods the trained model never sees (bento, oden, pizza,
//     rice ball, spaghetti, sushi).
//
// File names are "<food>-<codepoint>.png", the codepoint being the emoji's Unicode scalar
// in lower-case hex (curry-rice-1f35b.png is U+1F35B CURRY AND RICE). Within a folder
// the files sort by name, which is the order every function here returns them in.
package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

//go:embed illust/LICENSE illust/train/*.png illust/unseen/*.png
var illust embed.FS

// NamedFile is one embedded file: its base name (e.g. "ramen-1f35c.png") and content.
type NamedFile struct {
	Name string
	Data []byte
}

// Illust returns the illustrations as a read-only file system rooted at assets/illust:
// it holds LICENSE, train/*.png and unseen/*.png. Use it with fugo/data/images.LoadFS.
func Illust() fs.FS {
	sub, err := fs.Sub(illust, "illust")
	if err != nil {
		panic("assets: " + err.Error()) // cannot happen: "illust" is a valid, embedded path
	}
	return sub
}

// IllustTrain returns the three training illustrations of the second origin post in
// its order: curry rice (U+1F35B), hamburger (U+1F354), ramen (U+1F35C). Each call
// returns fresh copies of the bytes.
func IllustTrain() ([]NamedFile, error) { return readDir("illust/train") }

// IllustUnseen returns the six unseen food illustrations in name order: bento (U+1F371),
// oden (U+1F362), pizza (U+1F355), rice ball (U+1F359), spaghetti (U+1F35D), sushi
// (U+1F363). Each call returns fresh copies of the bytes.
func IllustUnseen() ([]NamedFile, error) { return readDir("illust/unseen") }

// IllustLicense returns the text of the Apache License 2.0 that covers the illustrations.
func IllustLicense() []byte {
	b, err := illust.ReadFile("illust/LICENSE")
	if err != nil {
		panic("assets: " + err.Error()) // cannot happen: the file is embedded
	}
	return b
}

func readDir(dir string) ([]NamedFile, error) {
	entries, err := illust.ReadDir(dir) // sorted by name
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	var out []NamedFile
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := illust.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("assets: %w", err)
		}
		out = append(out, NamedFile{Name: e.Name(), Data: b})
	}
	return out, nil
}
