// A small rich-text editor for a campaign's body: a contentEditable region with a toolbar
// (bold, italic, heading, subheading, bulleted and numbered list, link) on
// document.execCommand, and the personalisation fields from a menu. It hands its raw HTML to
// onChange; the composer sanitizes it (sanitizeHtml) before anything is sent. What comes in —
// a draft's body, a paste — is sanitized first and put in as nodes, never as innerHTML.
import { useEffect, useId, useRef, useState, type ClipboardEvent, type FormEvent } from "react";
import { createPortal } from "react-dom";

import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { PlaceholderMenu, placeholder, type PlaceholderField } from "./PlaceholderMenu";
import { safeHref, sanitizeHtml, sanitizedNodes } from "./sanitizeHtml";

interface RichTextEditorProps {
  label: string;
  /** The body to start from (sanitized on the way in); read once, when mounted. */
  initialHtml: string;
  onChange: (html: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
}

type Command = "bold" | "italic" | "insertUnorderedList" | "insertOrderedList";

export function RichTextEditor({ label, initialHtml, onChange, error, hint }: RichTextEditorProps) {
  const { t } = useI18n();
  const id = useId();
  const editor = useRef<HTMLDivElement>(null);
  const saved = useRef<Range | null>(null);
  const [active, setActive] = useState<Record<string, boolean>>({});
  const [block, setBlock] = useState("p");
  const [linking, setLinking] = useState(false);
  const pendingLink = useRef<{ href: string; text: string } | null>(null);

  useEffect(() => {
    const element = editor.current;
    if (!element) return;
    element.replaceChildren(...sanitizedNodes(initialHtml));
    // Only once: later renders must not undo what the person typed.
  }, []);

  // The last selection inside the editor, so a toolbar button or the field menu (which take
  // focus) act where the person was.
  useEffect(() => {
    const remember = () => {
      const selection = document.getSelection();
      const element = editor.current;
      if (!selection || selection.rangeCount === 0 || !element) return;
      const range = selection.getRangeAt(0);
      if (!element.contains(range.commonAncestorContainer)) return;
      saved.current = range.cloneRange();
      setActive({
        bold: document.queryCommandState("bold"),
        italic: document.queryCommandState("italic"),
        insertUnorderedList: document.queryCommandState("insertUnorderedList"),
        insertOrderedList: document.queryCommandState("insertOrderedList"),
      });
      setBlock(String(document.queryCommandValue("formatBlock") || "p").toLowerCase());
    };
    document.addEventListener("selectionchange", remember);
    return () => document.removeEventListener("selectionchange", remember);
  }, []);

  /** An empty editor gets a paragraph to type in, so the first line is a <p> like the rest. */
  const ensureParagraph = () => {
    const element = editor.current;
    if (!element || element.textContent || element.querySelector("p, h2, h3, ul, ol")) return;
    const paragraph = document.createElement("p");
    paragraph.appendChild(document.createElement("br"));
    element.replaceChildren(paragraph);
    const range = document.createRange();
    range.setStart(paragraph, 0);
    range.collapse(true);
    document.getSelection()?.removeAllRanges();
    document.getSelection()?.addRange(range);
  };

  const changed = () => onChange(editor.current?.innerHTML ?? "");

  /** Focus back in the editor with the remembered selection (or at the end). */
  const restore = () => {
    const element = editor.current;
    if (!element) return;
    element.focus();
    document.execCommand("defaultParagraphSeparator", false, "p");
    const selection = document.getSelection();
    if (!selection) return;
    let range = saved.current;
    if (!range || !element.contains(range.commonAncestorContainer)) {
      range = document.createRange();
      range.selectNodeContents(element);
      range.collapse(false);
    }
    selection.removeAllRanges();
    selection.addRange(range);
  };

  const run = (command: Command) => {
    restore();
    document.execCommand(command);
    changed();
  };

  const heading = (level: "h2" | "h3") => {
    restore();
    document.execCommand("formatBlock", false, block === level ? "p" : level);
    changed();
  };

  const insertHtml = (html: string) => {
    restore();
    document.execCommand("insertHTML", false, html);
    changed();
  };

  const insertField = (field: PlaceholderField) => {
    if (field === "unsubscribe_url") {
      insertHtml(linkHtml(placeholder(field), t("newsletters.editor.unsubscribeText")));
    } else {
      restore();
      document.execCommand("insertText", false, placeholder(field));
      changed();
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLDivElement>) => {
    event.preventDefault();
    const html = event.clipboardData.getData("text/html");
    if (html) {
      document.execCommand("insertHTML", false, sanitizeHtml(html));
    } else {
      document.execCommand("insertText", false, event.clipboardData.getData("text/plain"));
    }
    changed();
  };

  useEffect(() => {
    const link = pendingLink.current;
    if (linking || !link) return;
    pendingLink.current = null;
    const range = saved.current;
    if (range && !range.collapsed) {
      restore();
      document.execCommand("createLink", false, link.href);
      changed();
    } else {
      insertHtml(linkHtml(link.href, link.text || link.href));
    }
  }, [linking]);

  const selectedText = () => saved.current?.toString() ?? "";

  const tools: { key: string; label: string; pressed: boolean; act: () => void; className?: string }[] = [
    { key: "bold", label: t("newsletters.editor.bold"), pressed: !!active.bold, act: () => run("bold"), className: "nl-tool-bold" },
    { key: "italic", label: t("newsletters.editor.italic"), pressed: !!active.italic, act: () => run("italic"), className: "nl-tool-italic" },
    { key: "h2", label: t("newsletters.editor.heading"), pressed: block === "h2", act: () => heading("h2") },
    { key: "h3", label: t("newsletters.editor.subheading"), pressed: block === "h3", act: () => heading("h3") },
    {
      key: "ul",
      label: t("newsletters.editor.bullets"),
      pressed: !!active.insertUnorderedList,
      act: () => run("insertUnorderedList"),
    },
    {
      key: "ol",
      label: t("newsletters.editor.numbers"),
      pressed: !!active.insertOrderedList,
      act: () => run("insertOrderedList"),
    },
  ];

  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");

  return (
    <div className={error ? "field field-invalid nl-editor" : "field nl-editor"}>
      <span className="nl-editor-label" id={`${id}-label`}>
        {label}
        <span aria-hidden="true"> *</span>
      </span>
      <div className="nl-toolbar" role="toolbar" aria-label={t("newsletters.editor.toolbar")} aria-controls={`${id}-body`}>
        {tools.map((tool) => (
          <button
            key={tool.key}
            type="button"
            className={tool.className ? `btn ${tool.className}` : "btn"}
            aria-pressed={tool.pressed}
            onMouseDown={(event) => event.preventDefault()}
            onClick={tool.act}
          >
            {tool.label}
          </button>
        ))}
        <button
          type="button"
          className="btn"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => setLinking(true)}
        >
          {t("newsletters.editor.link")}
        </button>
        <PlaceholderMenu label={t("newsletters.editor.insertField")} onInsert={insertField} />
      </div>
      <div
        ref={editor}
        id={`${id}-body`}
        className="nl-editor-body"
        contentEditable
        suppressContentEditableWarning
        role="textbox"
        aria-multiline="true"
        aria-labelledby={`${id}-label`}
        aria-describedby={describedBy || undefined}
        aria-invalid={Boolean(error)}
        tabIndex={0}
        onInput={changed}
        onBlur={changed}
        onPaste={onPaste}
        onFocus={() => {
          document.execCommand("defaultParagraphSeparator", false, "p");
          ensureParagraph();
        }}
      />
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {/* In a portal: the editor sits inside the composer's form, and forms do not nest. */}
      {createPortal(
        <LinkDialog
          open={linking}
          selectedText={linking ? selectedText() : ""}
          onClose={() => {
            setLinking(false);
            restore();
          }}
          onInsert={(href, text) => {
            // Acted on once the modal dialog is closed: until then the editor is inert.
            pendingLink.current = { href, text };
            setLinking(false);
          }}
        />,
        document.body,
      )}
    </div>
  );
}

/** An <a> built by the DOM, so its text and href come out escaped. */
function linkHtml(href: string, text: string): string {
  const link = document.createElement("a");
  link.setAttribute("href", href);
  link.textContent = text;
  return link.outerHTML;
}

function LinkDialog(props: {
  open: boolean;
  selectedText: string;
  onClose: () => void;
  onInsert: (href: string, text: string) => void;
}) {
  const { t } = useI18n();
  const [href, setHref] = useState("https://");
  const [text, setText] = useState("");
  const [invalid, setInvalid] = useState(false);

  useEffect(() => {
    if (props.open) {
      setHref("https://");
      setText("");
      setInvalid(false);
    }
  }, [props.open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // React bubbles events through the portal to the composer's form: this submit is not its.
    event.stopPropagation();
    const safe = safeHref(href);
    if (!safe || safe === "https://") {
      setInvalid(true);
      return;
    }
    props.onInsert(safe, text.trim());
  };

  return (
    <Dialog open={props.open} title={t("newsletters.editor.linkTitle")} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t("newsletters.editor.linkUrl")}
          hint={t("newsletters.editor.linkHint")}
          error={invalid ? t("newsletters.editor.linkInvalid") : undefined}
          required
        >
          {(control) => (
            <input
              {...control}
              type="url"
              value={href}
              autoComplete="off"
              onChange={(event) => setHref(event.target.value)}
            />
          )}
        </Field>
        {props.selectedText ? (
          <p>{t("newsletters.editor.linkOnSelection", { text: props.selectedText })}</p>
        ) : (
          <Field label={t("newsletters.editor.linkText")}>
            {(control) => (
              <input
                {...control}
                value={text}
                autoComplete="off"
                onChange={(event) => setText(event.target.value)}
              />
            )}
          </Field>
        )}
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={props.onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary">
            {t("newsletters.editor.linkInsert")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
