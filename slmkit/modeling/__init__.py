"""Training and inference of the small encoder models (Hugging Face ``transformers`` on ``torch``).

``encoding`` turns texts and character spans into overlapping token windows with labels on the first
sub-token of each word; ``multitask`` is the shared-encoder, four-head FedProc model; ``train`` is the
training loop; ``predict`` loads a saved model directory and maps window outputs back to texts and spans.
"""
