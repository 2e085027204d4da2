package io.quanta.data;

/**
 * How dataset files are read, as {@code --dataset-format} and the QuantizationJob's {@code format} name it. AUTO
 * decides by what the paths are (see {@link Datasets#open(java.util.List, java.util.List, DatasetReading, java.util.List)}).
 */
public enum DatasetFormat {
    /** Decided by the paths: .wav files or a folder of them are WAV, .npy/.npz/IDX are NPY, else images. */
    AUTO,
    /** A folder of images (png, jpg, bmp, gif) or one image file. */
    IMAGES,
    /** Arrays whose first axis indexes samples: .npy files (one per input), one .npz, or IDX files. */
    NPY,
    /** 16-bit PCM WAV files, a folder of them or the files themselves, cut to the model's input length. */
    WAV
}
