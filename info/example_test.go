package info_test

import (
	"fmt"

	"fugo/info"
)

// The fourth origin post's countries A (uniform) and B, in bits.
func Example() {
	a := []float64{0.25, 0.25, 0.25, 0.25}
	b := []float64{0.5, 0.25, 0.125, 0.125}
	fmt.Println(info.Entropy(a, info.Bits), info.Entropy(b, info.Bits))
	fmt.Println(info.CrossEntropy(a, b, info.Bits), info.CrossEntropy(b, a, info.Bits))
	fmt.Println(info.KL(a, b, info.Bits), info.KL(b, a, info.Bits))
	fmt.Println(info.Huffman(b))
	// Output:
	// 2 1.75
	// 2.25 2
	// 0.25 0.25
	// 0 10 110 111
}

func ExampleParseList() {
	p, _ := info.ParseList("1/2, 1/4, 1/8, 1/8")
	fmt.Println(p, info.Validate(p, info.Tolerance))
	_, err := info.ParseList("0.5,abc")
	fmt.Println(err)
	// Output:
	// [0.5 0.25 0.125 0.125] <nil>
	// item 2 ("abc") is not a number
}
