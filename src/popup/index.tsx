import '../ui/base.css';
import { render } from 'preact';

function App() {
  return <main>Why 401</main>;
}

render(<App />, document.getElementById('app')!);
