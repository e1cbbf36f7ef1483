"""Synthetic local-motion-blur training data for LMD-ViT (see shared docs/training-data.md).

fetch.py  -> download + extract the Debian packages with photographs / cut-outs
carve.py  -> collect photos and objects into index JSONs, split train/val by whole photo
synth.py  -> numpy generator of (blurred, sharp, mask) triplets
build.py  -> CLI writing the compact dataset under training/.data/synth
"""
