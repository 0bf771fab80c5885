import { html } from "hono/html";
import { type Html, Layout } from "./layout";

export function SignInPage(props: { failed?: boolean }): Html {
  return Layout({
    title: "Sign in",
    body: html`<h1>Sign in</h1>
      ${props.failed ? html`<div class="error" role="alert">That token is not valid.</div>` : ""}
      <form method="post" action="/dashboard/sign-in" class="filters">
        <label>Admin token <input type="password" name="token" autocomplete="current-password" required /></label>
        <button type="submit">Sign in</button>
      </form>`,
  });
}
