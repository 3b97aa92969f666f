package zoo

// The convolutional autoencoder of the second origin post (IllustConfig): 64×64 colour
// illustrations, Conv 16, Pool, Conv 8, Pool, Conv 8, Pool → an 8×8×8 code, then Conv 8,
// Up, Conv 8, Up, Conv 16, Up, Conv 3 (sigmoid), "same" padding everywhere, relu inside;
// binary cross-entropy, Adadelta, batch 3 (the post trains 10 000 epochs on three images).
// The images come from data/images: [N, 64, 64, 3] in [0, 1].
func init() { registerConv("illust") }
