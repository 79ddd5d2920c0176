/**
 * A provider that could not be asked (unreachable, refused the key, answered nonsense). The
 * message names only the provider and an HTTP status or error name: a provider's body may echo
 * what it was sent, so it is never copied here. The bridge records the command as `failed`.
 */
export class ProviderUnavailable extends Error {
  constructor(
    readonly provider: 'openai' | 'bedrock',
    detail: string,
  ) {
    super(`the ${provider} model provider could not be asked: ${detail}`);
    this.name = 'ProviderUnavailable';
  }
}
