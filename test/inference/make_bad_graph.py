"""A graph with the contract's input and output names whose `restored` has one channel, not three: what a
model that only looks right by name gives. Usage: python3 make_bad_graph.py OUT.onnx"""
import sys

import onnx
from onnx import TensorProto, helper

size = ["N", 1, "H", "W"]
inputs = [
    helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, "H", "W"]),
    helper.make_tensor_value_info("guide", TensorProto.FLOAT, size),
    helper.make_tensor_value_info("threshold", TensorProto.FLOAT, []),
]
outputs = [
    helper.make_tensor_value_info("restored", TensorProto.FLOAT, size),
    helper.make_tensor_value_info("confidence", TensorProto.FLOAT, size),
    helper.make_tensor_value_info("decisions", TensorProto.FLOAT, ["N", 9, "h", "w"]),
    helper.make_tensor_value_info("kept_ratio", TensorProto.FLOAT, []),
]
nodes = [
    helper.make_node("ReduceMean", ["image"], ["restored"], axes=[1], keepdims=1),  # 1 channel: breaks it
    helper.make_node("Identity", ["guide"], ["confidence"]),
    helper.make_node("MaxPool", ["guide"], ["pooled"], kernel_shape=[8, 8], strides=[8, 8]),
    helper.make_node("Tile", ["pooled", "reps"], ["decisions"]),
    helper.make_node("Identity", ["threshold"], ["kept_ratio"]),
]
reps = helper.make_tensor("reps", TensorProto.INT64, [4], [1, 9, 1, 1])
graph = helper.make_graph(nodes, "bad", inputs, outputs, initializer=[reps])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
