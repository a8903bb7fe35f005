/**
 * A render error in the view or a panel shows a message and a way back, instead of a blank page;
 * the loaded data lives in the store and is kept.
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** What failed, for the message: "the view", "the panels". */
  what: string;
  children: ReactNode;
  /** Told when the children fail (true) and when they are tried again (false). */
  onFailure?: (failed: boolean) => void;
}

export class ErrorBoundary extends Component<Props, { error: Error | null; attempt: number }> {
  state = { error: null as Error | null, attempt: 0 };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error): void {
    console.error(error);
    this.props.onFailure?.(true);
  }

  render() {
    if (!this.state.error) return <div key={this.state.attempt} style={{ display: 'contents' }}>{this.props.children}</div>;
    return (
      <div className="render-error" role="alert" data-testid="render-error">
        <p>
          Something went wrong drawing {this.props.what}: {this.state.error.message}
        </p>
        {/webgl/i.test(this.state.error.message) && <p>This browser or device cannot draw WebGL 2, which the view needs.</p>}
        <p>The loaded data is kept.</p>
        <button type="button" data-testid="reload-view" onClick={() => {
            this.props.onFailure?.(false);
            this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));
          }}>
          Reload {this.props.what}
        </button>
      </div>
    );
  }
}
