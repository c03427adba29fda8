"""The tactic language model (the policy): prompt formats, tokenizer, model creation, fine-tuning and
fast sampling. Each module holds one idea; torch and transformers are imported only inside the modules
that need them, so importing this package stays cheap."""
